import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import type { FinalMessageStatus, FinishReason, Message, TokenUsage } from '../domain/message.js';
import type { Encoding, ModelSpec } from '../domain/models.js';
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
  readonly userMessage: Message;
  /** The reply, stored as STREAMING with empty content. */
  readonly assistantMessage: Message;
  readonly erasedMessageIds: readonly string[];
  /** The chat's new latest-activity time. */
  readonly at: Date;
}

export interface ReplyOutcome {
  readonly content: string;
  readonly status: FinalMessageStatus;
  readonly tokenCount: number;
  readonly finishReason: FinishReason;
  readonly usage: TokenUsage | null;
}

export interface ChatPatch {
  readonly title?: string;
  readonly status?: Chat['status'];
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
  /** The messages that can still reach the model: all not erased, oldest first, system message included. */
  loadContext(chatId: string): Promise<Message[]>;

  /**
   * Stores a turn atomically. Fails with CHAT_BUSY when another writer took
   * the same position in the chat first (the unique (chat, seq) key).
   */
  recordTurn(turn: TurnRecord): Promise<void>;
  /**
   * Ends a STREAMING reply and returns it as stored. A reply that already
   * ended keeps its first ending (and is returned as it is).
   */
  finishReply(reply: Message, outcome: ReplyOutcome): Promise<Message>;
  /** Marks replies left STREAMING by a process that died as INCOMPLETE; returns how many. */
  recoverInterruptedReplies(): Promise<number>;

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
  /** Events of one chat from now on, until the signal aborts or the consumer returns. */
  subscribe(chatId: string, signal?: AbortSignal): AsyncIterable<ChatEvent>;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
