import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import type { ContextSummary } from '../domain/context-summary.js';
import type { ErrorCode } from '../domain/errors.js';
import type { FinalMessageStatus, FinishReason, Message, TokenUsage } from '../domain/message.js';
import type { Encoding, ModelSpec } from '../domain/models.js';
import type { ReplyLease } from '../domain/reply-lease.js';
import type { BudgetCounters } from '../domain/budget.js';
import type { OpenClaim, TurnClaim, UsageSettlement } from '../domain/usage-claim.js';
import type { Channel, UsageRecord } from '../domain/usage.js';
import type { UsageGroupTotals } from '../domain/usage-summary.js';
import type { LimitName, LimitOverrides } from '../domain/user-limits.js';
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
  /**
   * The turn's claim on its user's budgets (see TurnClaim), held in the same
   * transaction: QUOTA_EXCEEDED or RATE_LIMITED (and nothing stored) when it
   * no longer fits.
   */
  readonly claim?: TurnClaim | undefined;
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
  /** The reply's ledger row and the hold it replaces, written in the transaction that ends the reply. */
  readonly settlement?: UsageSettlement | undefined;
}

/** A reply still marked STREAMING in the store, with the lease of the process producing it. */
export interface StreamingReply {
  readonly message: Message;
  /** Null for rows written before leases existed: treated as expired. */
  readonly lease: ReplyLease | null;
}

/** A chat with the position of its newest message (its last seq): where a turn starts from. */
export interface ChatHead {
  readonly chat: Chat;
  readonly lastSeq: number;
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
  /** The chat and its last seq, in one read (chats.last_seq is kept by every write of a turn). */
  findChatHead(userId: string, chatId: string): Promise<ChatHead | undefined>;
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
/**
 * Contexts (see ChatRepository.loadContext) of recently used chats, kept in
 * this process so that a turn need not read its chat's history again: a
 * 1,000-message chat then costs a turn what a 10-message one does. An entry
 * is only good for the last seq it was stored with; the caller checks that
 * against the store's, so another process's turn is never missed. Bounded.
 */
export interface ContextCache {
  get(chatId: string, lastSeq: number): readonly Message[] | undefined;
  set(chatId: string, lastSeq: number, context: readonly Message[]): void;
  /** A reply was stored as it ended: the entry that ends with it gets the stored message. */
  replyStored(reply: Message): void;
}

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

/** A message a search found, with the chat it belongs to. */
export interface SearchMatch {
  readonly chat: Chat;
  readonly message: Message;
}

/**
 * Full-text search over one user's messages: user messages and replies that
 * ended, erased ones included (they stay listable), newest first. Every hit
 * must contain each term as the start of one of its words. Terms come
 * validated (letters, digits and marks only: see parseSearchQuery).
 */
export interface MessageSearch {
  search(userId: string, terms: readonly string[], page: PageRequest): Promise<Page<SearchMatch>>;
}

/**
 * A user's chats in the order they were created: stable while the user keeps
 * chatting (activity order is not), so an export that pages through them
 * sees every chat once.
 */
export interface ChatArchive {
  listChatsByCreation(userId: string, page: PageRequest): Promise<Page<Chat>>;
}

/** Per-user overrides of the limit defaults (`user_limits`). */
export interface UserLimitsStore {
  /** The user's overrides; empty when they have none. */
  find(userId: string): Promise<LimitOverrides>;
  /** Replaces the user's overrides (an empty set removes their row). */
  save(userId: string, overrides: LimitOverrides, at: Date): Promise<void>;
}

/** The running totals budgets are admitted against, one row per user (see BudgetCounters). */
export interface Budgets {
  /** The user's counters; creates their row (zeros) the first time, so that a turn can hold budget in it. */
  countersOf(userId: string): Promise<BudgetCounters>;
  /** The user's counters as stored, for display; zeros when they have no row yet (nothing is created). */
  peek(userId: string): Promise<BudgetCounters>;
}

/** A user's ledger rows of one model, channel and kind in a time range, added up. */
export type UsageGroup = UsageGroupTotals;

/** The usage ledger: one row per upstream call, kept when chats are deleted. */
export interface UsageLedger {
  /** The user's rows in [from, to), grouped by model, channel and kind. */
  groups(userId: string, from: Date, to: Date): Promise<UsageGroup[]>;
  /** The reply rows of these assistant messages, in one query. */
  replyRecords(messageIds: readonly string[]): Promise<Map<string, UsageRecord>>;
  /** The claim of a reply still streaming (recovery settles it); undefined for a reply stored without one. */
  findClaim(messageId: string): Promise<OpenClaim | undefined>;
  /** Up to `limit` unsettled claims whose reply no longer exists (its chat was deleted while the reply was abandoned). */
  orphanedClaims(limit: number): Promise<OpenClaim[]>;
  /** Deletes up to `limit` claims already settled (kept past their settlement to spare the turn a statement); how many. */
  pruneSettledClaims(limit: number): Promise<number>;
  /** Settles an orphaned claim; false when someone settled it first. */
  settleOrphan(settlement: UsageSettlement): Promise<boolean>;
}

/** Requests per minute and user, shared by every channel (and every replica, with Redis). */
export interface RequestRateLimiter {
  /** Counts one request of `userId` against `perMinute`; when over it, how long until the next one is allowed. */
  take(userId: string, perMinute: number): Promise<{ readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number }>;
}

/** One reply, as metrics see it: started (active), first token, ended. */
export interface ReplyMeter {
  firstToken(): void;
  ended(status: string): void;
}

/**
 * What the core reports to metrics. Cheap by contract: counters and
 * gauges, no I/O, nothing per delta beyond `firstToken`.
 */
export interface Metrics {
  replyStarted(channel: Channel, model: string): ReplyMeter;
  /** A ledger row was written: its tokens and cost. */
  usageRecorded(record: UsageRecord): void;
  limitRejected(limit: LimitName): void;
}
