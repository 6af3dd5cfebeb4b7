import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import type { ContextSummary } from '../domain/context-summary.js';
import type { ErrorCode } from '../domain/errors.js';
import type { FinalMessageStatus, FinishReason, Message, TokenUsage } from '../domain/message.js';
import type { Encoding, ModelSpec } from '../domain/models.js';
import type { ReplyLease } from '../domain/reply-lease.js';
import type { ChatEvent } from './chat-events.js';

/** One page of a cursor-paginated list; cursors are opaque to callers. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly hasNextPage: boolean;
  /** Cursor of the last item, to pass as `after` for the next page. */
  readonly endCursor: string | null;
  /** Cursor of each item, in the order of `items`: paging may resume after any of them. */
  readonly cursors: readonly string[];
}

export interface PageRequest {
  readonly first: number;
  readonly after?: string | undefined;
}

export interface MessagePageRequest extends PageRequest {
  readonly includeErased: boolean;
}

/** Everything one turn writes before the upstream call, in one transaction. */
export interface TurnRecord {
  /** Set when the turn starts a chat: the chat and its system message are inserted first. */
  readonly newChat?: { readonly chat: Chat; readonly systemMessage: Message } | undefined;
  readonly chatId: string;
  /**
   * For an existing chat: the position of its newest message when the turn
   * was planned. Another writer that got there first (any process) makes the
   * turn fail with CHAT_BUSY instead of interleaving.
   */
  readonly expectedLastSeq?: number | undefined;
  readonly userMessage: Message;
  /** The reply, stored as STREAMING with empty content, owned by `lease`. */
  readonly assistantMessage: Message;
  readonly lease: ReplyLease;
  readonly erasedMessageIds: readonly string[];
  /** A new fold of the chat's running summary, stored with the turn or not at all. */
  readonly summary?: ContextSummary | undefined;
  /** The chat's new latest-activity time. */
  readonly at: Date;
}

export interface ReplyOutcome {
  readonly content: string;
  readonly status: FinalMessageStatus;
  readonly tokenCount: number;
  readonly finishReason: FinishReason;
  readonly usage: TokenUsage | null;
  /** Why it failed, when it did: replays of the reply report the same code. */
  readonly errorCode: ErrorCode | null;
}

/** A reply still marked STREAMING in the store, with the lease of the process producing it. */
export interface StreamingReply {
  readonly message: Message;
  /** Null for rows written before leases existed: treated as expired. */
  readonly lease: ReplyLease | null;
}

export interface ChatPatch {
  readonly title?: string;
  readonly status?: Chat['status'];
  readonly config?: ChatConfig;
  readonly updatedAt: Date;
}

/**
 * The store. Every chat read and write takes the owner's user id: a chat of
 * another user is indistinguishable from one that does not exist.
 * Message reads take a chat id the caller has already checked ownership of.
 */
export interface ChatRepository {
  /** Inserts a chat and its system message (seq 0) in one transaction. */
  createChat(chat: Chat, systemMessage: Message): Promise<void>;
  findChat(userId: string, chatId: string): Promise<Chat | undefined>;
  /** The user's chats, most recent activity first. */
  listChats(userId: string, page: PageRequest): Promise<Page<Chat>>;
  updateChat(userId: string, chatId: string, patch: ChatPatch): Promise<Chat | undefined>;
  /** Deletes the chat and all its messages; false when there was none. */
  deleteChat(userId: string, chatId: string): Promise<boolean>;

  /** A chat's messages, oldest first. */
  listMessages(chatId: string, page: MessagePageRequest): Promise<Page<Message>>;
  findMessage(messageId: string): Promise<Message | undefined>;
  /** The newest message of each chat, for list views, in one query. */
  latestMessages(chatIds: readonly string[]): Promise<Map<string, Message>>;
  /** The message at position `seq` of a chat. */
  findMessageAt(chatId: string, seq: number): Promise<Message | undefined>;
  /** The messages that can still reach the model: all not erased, oldest first, system message included. */
  loadContext(chatId: string): Promise<Message[]>;
  /**
   * Erased messages after position `afterSeq`, oldest first, at most
   * `limit`: history that left the window but is not in the summary yet.
   */
  listErasedMessages(chatId: string, afterSeq: number, limit: number): Promise<Message[]>;
  /** The chat's current summary: the fold that covers the most. */
  findContextSummary(chatId: string): Promise<ContextSummary | undefined>;
  /** The newest summary of each of these chats that has one, in one query (list views). */
  latestContextSummaries(chatIds: readonly string[]): Promise<Map<string, ContextSummary>>;
  /** The reply streaming in each of these chats that has one, in one query (list views). */
  streamingReplies(chatIds: readonly string[]): Promise<Map<string, Message>>;
  /** The chat's reply still marked STREAMING, if any, with its lease. */
  findStreamingReply(chatId: string): Promise<StreamingReply | undefined>;

  /**
   * Stores a turn atomically. Fails with CHAT_BUSY when another writer took
   * the same position in the chat first (the unique (chat, seq) key).
   */
  recordTurn(turn: TurnRecord): Promise<void>;
  /**
   * Saves the text of a STREAMING reply so far (undefined: unchanged) and
   * extends its lease, in one statement. False when the reply is no longer
   * STREAMING (recovered after its lease expired, or deleted): the producer
   * has lost it.
   */
  checkpointReply(messageId: string, content: string | undefined, lease: ReplyLease): Promise<boolean>;
  /**
   * Ends a STREAMING reply and returns it as stored. A reply that already
   * ended keeps its first ending (and is returned as it is).
   */
  finishReply(reply: Message, outcome: ReplyOutcome): Promise<Message>;
  /** Up to `limit` STREAMING replies whose lease expired before `now` (or that have none). */
  findExpiredReplies(now: Date, limit: number): Promise<Message[]>;
  /**
   * Ends a STREAMING reply whose producer is gone, with the outcome's text;
   * only while its lease is still expired at `now`. Returns it as stored, or
   * undefined when its producer renewed the lease meanwhile.
   */
  recoverReply(reply: Message, outcome: ReplyOutcome, now: Date): Promise<Message | undefined>;

  /** Throws when the store is unreachable or its migrations are not applied. */
  checkReady(): Promise<void>;
}

export interface CompletionMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface CompletionRequest {
  readonly model: ModelSpec;
  readonly messages: readonly CompletionMessage[];
  readonly config: ChatConfig;
  /** Aborting it cancels the upstream request (stopReply, shutdown). */
  readonly signal: AbortSignal;
}

/** A whole answer, for calls nobody watches stream (summaries). */
export interface Completion {
  readonly text: string;
  readonly finishReason: FinishReason;
  readonly usage: TokenUsage | null;
}

export type CompletionChunk =
  | { readonly type: 'delta'; readonly text: string }
  | { readonly type: 'finish'; readonly finishReason: FinishReason; readonly usage: TokenUsage | null };

/**
 * The upstream model. Streams deltas then one finish chunk. Failures are
 * DomainErrors: UPSTREAM_UNAVAILABLE (unreachable, 5xx, bad response) or
 * RATE_LIMITED (429). After the signal aborts, iteration may end or throw.
 */
export interface CompletionModel {
  /** Shown at start and in logs ('openai', 'offline stand-in', ...). */
  readonly description: string;
  stream(request: CompletionRequest): AsyncIterable<CompletionChunk>;
  /** One answer, not streamed; same failures. Aborting the signal rejects it. */
  complete(request: CompletionRequest): Promise<Completion>;
}

export interface TokenCounter {
  /** Exact number of tokens of `text` in `encoding`. */
  count(text: string, encoding: Encoding): number;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  newId(): string;
}

/** Live events of chats, from every channel. In-process now; Redis-ready by design. */
export interface ChatEventBus {
  publish(event: ChatEvent): void;
  /**
   * Events of one chat from the moment it resolves (the subscription is
   * established: nothing published afterwards is missed), until the signal
   * aborts or the consumer returns. Memory per subscriber is bounded: a
   * lagging subscriber's deltas merge, and one that stops reading fails with
   * UNAVAILABLE. Fails with UNAVAILABLE when the shared bus is unreachable.
   */
  subscribe(chatId: string, signal?: AbortSignal): Promise<AsyncIterable<ChatEvent>>;
}

/**
 * The text of replies being produced, kept beside the store so that a
 * watcher joining late gets the whole text so far, not only the last
 * checkpoint. In-process now; a Redis Stream per reply with replicas.
 */
export interface LiveReplies {
  /** Starts the log of a reply this process produces. */
  begin(messageId: string): void;
  /** Appends a piece; returns the reply's length after it. */
  append(messageId: string, text: string): number;
  /** The text so far; undefined when the reply is not being produced (anywhere). */
  textOf(messageId: string): Promise<string | undefined>;
  /** Forgets a reply whose end is stored. */
  end(messageId: string): void;
}

/** A send that carried an idempotency key, as remembered for its retries. */
export interface RememberedSend {
  readonly content: string;
  /** The chat the send named; undefined: it started one. */
  readonly chatId: string | undefined;
  /** The turn it started, once stored. */
  readonly turn?: { readonly chatId: string; readonly userMessageId: string; readonly assistantMessageId: string };
}

/** Idempotency keys of sends, remembered for a day: per process, or shared by every replica (Redis). */
export interface SendKeys {
  /** Takes `key` for `send`; when it was taken already, returns what is remembered there instead. */
  claim(key: string, send: RememberedSend): Promise<RememberedSend | undefined>;
  /** Records the turn a claimed send started. */
  settle(key: string, send: RememberedSend): Promise<void>;
  /** Forgets a claimed send that was refused: it stored nothing. */
  release(key: string): Promise<void>;
  find(key: string): Promise<RememberedSend | undefined>;
}

/**
 * Stop requests for replies produced by another process (stopReply on
 * replica B for a reply running on A). In-process: nobody else to ask.
 */
export interface ReplyStops {
  /** Asks whichever process produces the reply to stop it. */
  requestStop(messageId: string): Promise<void>;
  /** Runs `stop` for every stop request, from any process. */
  onStopRequest(stop: (messageId: string) => void): void;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
