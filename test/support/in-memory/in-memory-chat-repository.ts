import type { Chat } from '../../../src/domain/chat.js';
import type { ContextSummary } from '../../../src/domain/context-summary.js';
import { DomainError, notFound } from '../../../src/domain/errors.js';
import type { Message } from '../../../src/domain/message.js';
import type { ReplyLease } from '../../../src/domain/reply-lease.js';
import type { UsageSettlement } from '../../../src/domain/usage-claim.js';
import { decodeCursor, encodeCursor } from '../../../src/infra/db/keyset-cursor.js';
import {
  chatFromRecord,
  chatToRecord,
  finishReasonColumn,
  leaseFromRecord,
  messageFromRecord,
  messageToRecord,
  type ChatRecord,
  type ConfigDefaults,
  type MessageRecord,
} from '../../../src/infra/db/row-mapper.js';
import { summaryFromRecord, summaryToRecord, type SummaryRecord } from '../../../src/infra/db/summary-row.js';
import type {
  ChatHead,
  ChatPatch,
  ChatRepository,
  MessagePageRequest,
  Page,
  PageRequest,
  ReplyOutcome,
  StreamingReply,
  TurnRecord,
} from '../../../src/use-cases/ports.js';
import { checkedPageSize, pageOf } from './memory-pages.js';
import { compareBytes, DuplicateKey, type MemoryTables } from './memory-tables.js';
import { holdTurnBudget, settleUsage } from './memory-usage-writes.js';

const busy = (cause?: unknown) => new DomainError('CHAT_BUSY', 'Another message is being answered in this chat', { cause });

const isStreaming = (row: MessageRecord): boolean => row.status === 'STREAMING';
/** No lease (rows from before leases), or one that ran out by `now`: its producer is taken to be gone. */
const isExpired = (row: MessageRecord, now: Date): boolean => row.lease_expires_at === null || row.lease_expires_at <= now.getTime();

const chatCursorOf = (row: ChatRecord): string => encodeCursor('chat', [row.updated_at, row.id]);
const messageCursorOf = (row: MessageRecord): string => encodeCursor('message', [row.seq]);

/**
 * The ChatRepository port in memory, for unit tests: the same answers and
 * the same refusals as KnexChatRepository (the repository contract in
 * test/support/contracts/ runs against both). Each method is one
 * synchronous step over the shared tables, so concurrent calls serialize as
 * transactions would; a turn and a reply's ending write their usage rows in
 * the same step, all or nothing.
 */
export class InMemoryChatRepository implements ChatRepository {
  private readonly chatFrom: (row: ChatRecord) => Chat;

  constructor(
    private readonly tables: MemoryTables,
    configDefaults: ConfigDefaults = { contextStrategy: 'TRUNCATE' },
  ) {
    this.chatFrom = (row) => chatFromRecord(row, configDefaults);
  }

  async createChat(chat: Chat, systemMessage: Message): Promise<void> {
    this.tables.transaction(() => {
      this.tables.insertChat(chatToRecord(chat, systemMessage.seq));
      this.tables.insertMessage(messageToRecord(systemMessage));
    });
  }

  async findChat(userId: string, chatId: string): Promise<Chat | undefined> {
    const row = this.ownChat(userId, chatId);
    return row === undefined ? undefined : this.chatFrom(row);
  }

  async findChatHead(userId: string, chatId: string): Promise<ChatHead | undefined> {
    const row = this.ownChat(userId, chatId);
    return row === undefined ? undefined : { chat: this.chatFrom(row), lastSeq: row.last_seq };
  }

  async listChats(userId: string, page: PageRequest): Promise<Page<Chat>> {
    const first = checkedPageSize(page.first);
    let rows = [...this.tables.chats.values()].filter((row) => row.user_id === userId);
    if (page.after !== undefined) {
      const [updatedAt, id] = decodeCursor('chat', page.after, ['integer', 'string']);
      // (updated_at, id) < (after), in the list's order.
      rows = rows.filter((row) => row.updated_at < updatedAt || (row.updated_at === updatedAt && compareBytes(row.id, id) < 0));
    }
    rows.sort((a, b) => b.updated_at - a.updated_at || compareBytes(b.id, a.id));
    return pageOf(rows, first, this.chatFrom, chatCursorOf);
  }

  async updateChat(userId: string, chatId: string, patch: ChatPatch): Promise<Chat | undefined> {
    const row = this.ownChat(userId, chatId);
    if (row === undefined) return undefined;
    const changed: ChatRecord = { ...row, updated_at: patch.updatedAt.getTime() };
    if (patch.title !== undefined) changed.title = patch.title;
    if (patch.status !== undefined) changed.status = patch.status;
    if (patch.config !== undefined) changed.config = JSON.stringify(patch.config);
    this.tables.chats.set(chatId, changed);
    return this.chatFrom(changed);
  }

  async deleteChat(userId: string, chatId: string): Promise<boolean> {
    if (this.ownChat(userId, chatId) === undefined) return false;
    return this.tables.deleteChat(chatId);
  }

  async listMessages(chatId: string, page: MessagePageRequest): Promise<Page<Message>> {
    const first = checkedPageSize(page.first);
    let rows = this.tables.messagesOf(chatId);
    if (!page.includeErased) rows = rows.filter((row) => !row.erased);
    if (page.after !== undefined) {
      const [afterSeq] = decodeCursor('message', page.after, ['integer']);
      rows = rows.filter((row) => row.seq > afterSeq);
    }
    return pageOf(rows, first, messageFromRecord, messageCursorOf);
  }

  async findMessage(messageId: string): Promise<Message | undefined> {
    const row = this.tables.messages.get(messageId);
    return row === undefined ? undefined : messageFromRecord(row);
  }

  async latestMessages(chatIds: readonly string[]): Promise<Map<string, Message>> {
    const latest = new Map<string, Message>();
    // chats.last_seq points at each chat's newest message.
    for (const chatId of new Set(chatIds)) {
      const chat = this.tables.chats.get(chatId);
      const row = chat && this.rowAt(chatId, chat.last_seq);
      if (row !== undefined) latest.set(chatId, messageFromRecord(row));
    }
    return latest;
  }

  async findMessageAt(chatId: string, seq: number): Promise<Message | undefined> {
    const row = this.rowAt(chatId, seq);
    return row === undefined ? undefined : messageFromRecord(row);
  }

  async loadContext(chatId: string): Promise<Message[]> {
    return this.tables
      .messagesOf(chatId)
      .filter((row) => !row.erased)
      .map(messageFromRecord);
  }

  async listErasedMessages(chatId: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.tables
      .messagesOf(chatId)
      .filter((row) => row.erased && row.seq > afterSeq)
      .slice(0, limit)
      .map(messageFromRecord);
  }

  async findContextSummary(chatId: string): Promise<ContextSummary | undefined> {
    const row = this.newestSummaries([chatId]).get(chatId);
    return row === undefined ? undefined : summaryFromRecord(row);
  }

  async latestContextSummaries(chatIds: readonly string[]): Promise<Map<string, ContextSummary>> {
    return new Map([...this.newestSummaries(chatIds)].map(([chatId, row]) => [chatId, summaryFromRecord(row)]));
  }

  async streamingReplies(chatIds: readonly string[]): Promise<Map<string, Message>> {
    const wanted = new Set(chatIds);
    const streaming = new Map<string, Message>();
    for (const row of this.tables.messages.values()) {
      if (isStreaming(row) && wanted.has(row.chat_id)) streaming.set(row.chat_id, messageFromRecord(row));
    }
    return streaming;
  }

  async findStreamingReply(chatId: string): Promise<StreamingReply | undefined> {
    // A reply is the newest message while it streams.
    const row = this.tables
      .messagesOf(chatId)
      .filter((m) => !m.erased && isStreaming(m))
      .at(-1);
    return row === undefined ? undefined : { message: messageFromRecord(row), lease: leaseFromRecord(row) };
  }

  async recordTurn(turn: TurnRecord): Promise<void> {
    const { newChat, chatId, expectedLastSeq, userMessage, assistantMessage, lease, erasedMessageIds, summary, at } = turn;
    if (newChat !== undefined && newChat.chat.id !== chatId) {
      throw new Error('recordTurn: newChat.chat.id must equal chatId');
    }
    const lastSeq = Math.max(userMessage.seq, assistantMessage.seq);
    try {
      this.tables.transaction(() => {
        if (newChat !== undefined) {
          this.tables.insertChat(chatToRecord({ ...newChat.chat, updatedAt: at }, lastSeq));
        } else {
          // The optimistic check: the chat must still end where the turn was planned from.
          const chat = this.tables.chats.get(chatId);
          if (chat === undefined) throw notFound('Chat');
          if (expectedLastSeq !== undefined && chat.last_seq !== expectedLastSeq) throw busy();
          this.tables.chats.set(chatId, { ...chat, updated_at: at.getTime(), last_seq: lastSeq });
        }
        if (newChat !== undefined) this.tables.insertMessage(messageToRecord(newChat.systemMessage));
        this.tables.insertMessage(messageToRecord(userMessage));
        this.tables.insertMessage(messageToRecord(assistantMessage, lease));
        // Only messages of this chat: an id of another chat is ignored.
        for (const id of erasedMessageIds) {
          const row = this.tables.messages.get(id);
          if (row?.chat_id === chatId) this.tables.messages.set(id, { ...row, erased: true });
        }
        if (summary !== undefined) this.tables.insertSummary(summaryToRecord(summary));
        // Last: the claim on the user's budgets, refused (and the turn undone) when it no longer fits.
        if (turn.claim !== undefined) holdTurnBudget(this.tables, turn.claim);
      });
    } catch (error) {
      // A key another writer took first (the chat's next seq, most likely): that writer's turn runs.
      if (error instanceof DuplicateKey) throw busy(error);
      throw error;
    }
  }

  async checkpointReply(messageId: string, content: string | undefined, lease: ReplyLease): Promise<boolean> {
    const row = this.tables.messages.get(messageId);
    // A reply recovered, ended or deleted meanwhile is no longer the producer's.
    if (row === undefined || !isStreaming(row)) return false;
    this.tables.messages.set(messageId, {
      ...row,
      ...(content === undefined ? {} : { content }),
      lease_owner: lease.owner,
      lease_expires_at: lease.expiresAt.getTime(),
    });
    return true;
  }

  async finishReply(reply: Message, outcome: ReplyOutcome): Promise<Message> {
    const finishReason = finishReasonColumn(outcome.finishReason);
    // Only a STREAMING reply changes: a reply that already ended keeps its first ending.
    const ended = this.endReply(reply.id, outcome.settlement, (row) => isStreaming(row), {
      content: outcome.content,
      status: outcome.status,
      token_count: outcome.tokenCount,
      finish_reason: finishReason,
      usage_prompt_tokens: outcome.usage?.promptTokens ?? null,
      usage_completion_tokens: outcome.usage?.completionTokens ?? null,
      error_code: outcome.errorCode,
    });
    // As the knex repository answers without reading back: the reply given, with the ending applied.
    if (ended) {
      const { content, status, tokenCount, usage, errorCode } = outcome;
      return { ...reply, content, status, tokenCount, finishReason, usage, errorCode };
    }
    const stored = this.tables.messages.get(reply.id);
    if (stored === undefined) throw notFound('Message');
    return messageFromRecord(stored);
  }

  async findExpiredReplies(now: Date, limit: number): Promise<Message[]> {
    return [...this.tables.messages.values()]
      .filter((row) => isStreaming(row) && isExpired(row, now))
      .slice(0, limit)
      .map(messageFromRecord);
  }

  async recoverReply(reply: Message, outcome: ReplyOutcome, now: Date): Promise<Message | undefined> {
    // A producer that renewed its lease meanwhile is alive: it keeps its reply. Usage columns are left as they are.
    const ended = this.endReply(reply.id, outcome.settlement, (row) => isStreaming(row) && isExpired(row, now), {
      content: outcome.content,
      status: outcome.status,
      token_count: outcome.tokenCount,
      finish_reason: finishReasonColumn(outcome.finishReason),
      error_code: outcome.errorCode,
    });
    return ended ? this.findMessage(reply.id) : undefined;
  }

  async checkReady(): Promise<void> {}

  /**
   * Moves a reply out of STREAMING when `may` holds for its row, and settles
   * its usage in the same step, only then (so a retried or lost ending never
   * counts twice). True when it ended here.
   */
  private endReply(
    messageId: string,
    settlement: UsageSettlement | undefined,
    may: (row: MessageRecord) => boolean,
    changes: Partial<MessageRecord>,
  ): boolean {
    return this.tables.transaction(() => {
      const row = this.tables.messages.get(messageId);
      if (row === undefined || !may(row)) return false;
      this.tables.messages.set(messageId, { ...row, ...changes, lease_owner: null, lease_expires_at: null });
      if (settlement !== undefined) settleUsage(this.tables, settlement);
      return true;
    });
  }

  /** The chat, scoped by its owner: another user's chat is not there. */
  private ownChat(userId: string, chatId: string): ChatRecord | undefined {
    const row = this.tables.chats.get(chatId);
    return row?.user_id === userId ? row : undefined;
  }

  private rowAt(chatId: string, seq: number): MessageRecord | undefined {
    return this.tables.messagesOf(chatId).find((row) => row.seq === seq);
  }

  /** Each chat's summary that covers the most. */
  private newestSummaries(chatIds: readonly string[]): Map<string, SummaryRecord> {
    const wanted = new Set(chatIds);
    const newest = new Map<string, SummaryRecord>();
    for (const row of this.tables.summaries.values()) {
      if (!wanted.has(row.chat_id)) continue;
      const known = newest.get(row.chat_id);
      if (known === undefined || row.covers_through_seq > known.covers_through_seq) newest.set(row.chat_id, row);
    }
    return newest;
  }
}
