import type { Knex } from 'knex';
import type { Chat } from '../../domain/chat.js';
import type { ContextSummary } from '../../domain/context-summary.js';
import { DomainError, invalidInput, notFound } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { ReplyLease } from '../../domain/reply-lease.js';
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
} from '../../use-cases/ports.js';
import { ChatRow } from './chat-row.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';
import { fixedChanges, fixedRows } from './fixed-sql.js';
import { MessageRow } from './message-row.js';
import { pendingMigrations } from './migrate.js';
import {
  type ChatRecord,
  type ConfigDefaults,
  type MessageRecord,
  chatFromRecord,
  chatToRecord,
  finishReasonColumn,
  leaseFromRecord,
  messageFromRecord,
  messageToRecord,
} from './row-mapper.js';
import { SUMMARY_TABLE, summaryFromRecord, summaryToRecord, type SummaryRecord } from './summary-row.js';
import { holdTurnBudget, settleUsage } from './knex-usage-writes.js';
import { GroupCommit, transactionEach, type WriteTransactions } from './write-transactions.js';
import type { UsageSettlement } from '../../domain/usage-claim.js';

const SUPPORTED_DIALECTS = new Set(['sqlite3', 'mysql']);

// The statements of every turn, as fixed text (see fixed-sql.ts).
const SELECT_CHAT_HEAD = 'select * from `chats` where `id` = ? and `user_id` = ? limit 1';
const ADVANCE_CHAT = 'update `chats` set `updated_at` = ?, `last_seq` = ? where `id` = ?';
const ADVANCE_CHAT_FROM = 'update `chats` set `updated_at` = ?, `last_seq` = ? where `id` = ? and `last_seq` = ?';
// A reply's ending and its checkpoints: only while it is STREAMING, so an ended reply keeps its first ending.
const FINISH_REPLY =
  'update `messages` set `content` = ?, `status` = ?, `token_count` = ?, `finish_reason` = ?, `usage_prompt_tokens` = ?, ' +
  "`usage_completion_tokens` = ?, `error_code` = ?, `lease_owner` = null, `lease_expires_at` = null where `id` = ? and `status` = 'STREAMING'";
const CHECKPOINT_REPLY = "update `messages` set `content` = ?, `lease_owner` = ?, `lease_expires_at` = ? where `id` = ? and `status` = 'STREAMING'";
const RENEW_LEASE = "update `messages` set `lease_owner` = ?, `lease_expires_at` = ? where `id` = ? and `status` = 'STREAMING'";
const MESSAGE_COLUMNS = [
  'id',
  'chat_id',
  'seq',
  'role',
  'content',
  'token_count',
  'status',
  'erased',
  'model',
  'finish_reason',
  'usage_prompt_tokens',
  'usage_completion_tokens',
  'lease_owner',
  'lease_expires_at',
  'error_code',
  'created_at',
] as const satisfies readonly (keyof MessageRecord)[];
// Every column of the row: a column added to MessageRow and not listed here fails to compile.
const allMessageColumns: Exclude<keyof MessageRecord, (typeof MESSAGE_COLUMNS)[number]> extends never ? true : never = true;
void allMessageColumns;
const insertMessagesSqls = new Map<number, string>();
function insertMessagesSql(rows: number): string {
  let sql = insertMessagesSqls.get(rows);
  if (sql === undefined) {
    const row = `(${MESSAGE_COLUMNS.map(() => '?').join(', ')})`;
    sql = `insert into \`messages\` (${MESSAGE_COLUMNS.map((c) => `\`${c}\``).join(', ')}) values ${Array(rows).fill(row).join(', ')}`;
    insertMessagesSqls.set(rows, sql);
  }
  return sql;
}
// Booleans as 0/1: what both drivers store for BOOLEAN / TINYINT(1).
const messageValues = (record: MessageRecord): Knex.Value[] =>
  MESSAGE_COLUMNS.map((column) => (typeof record[column] === 'boolean' ? Number(record[column]) : record[column]));

/**
 * The chat store on SQLite or MySQL, one code path for both. Every query is
 * bounded: lists are paged by keyset cursors on indexed columns, and no
 * method issues a query per item.
 */
export class KnexChatRepository implements ChatRepository {
  private readonly chatFrom: (row: ChatRecord) => Chat;
  /** SQLite's one writer commits the hot path's writes in groups; MySQL's connections each commit their own. */
  private readonly writes: WriteTransactions;

  private constructor(
    private readonly knex: Knex,
    configDefaults: ConfigDefaults,
  ) {
    this.chatFrom = (row) => chatFromRecord(row, configDefaults);
    this.writes = knex.client.dialect === 'sqlite3' ? new GroupCommit(knex) : transactionEach(knex);
  }

  /** `configDefaults`: what chats stored before a config key existed read as (default: TRUNCATE). */
  static async create({ knex, configDefaults }: { knex: Knex; configDefaults?: ConfigDefaults }): Promise<KnexChatRepository> {
    const dialect = knex.client.dialect;
    if (!SUPPORTED_DIALECTS.has(dialect)) throw new Error(`Unsupported database dialect: ${dialect}`);
    return new KnexChatRepository(knex, configDefaults ?? { contextStrategy: 'TRUNCATE' });
  }

  async createChat(chat: Chat, systemMessage: Message): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await ChatRow.query(trx).insert(chatToRecord(chat, systemMessage.seq));
      await MessageRow.query(trx).insert(messageToRecord(systemMessage));
    });
  }

  async findChat(userId: string, chatId: string): Promise<Chat | undefined> {
    // The per-turn queries use knex directly: objection's query builder adds
    // ~0.1 ms of CPU to each, a third of a turn's store time (see bench/).
    const row = await this.knex<ChatRecord>(ChatRow.tableName).where({ id: chatId, user_id: userId }).first();
    return row === undefined ? undefined : this.chatFrom(row);
  }

  async findChatHead(userId: string, chatId: string): Promise<ChatHead | undefined> {
    const [row] = await fixedRows<ChatRecord>(this.knex, SELECT_CHAT_HEAD, [chatId, userId]);
    return row === undefined ? undefined : { chat: this.chatFrom(row), lastSeq: Number(row.last_seq) };
  }

  async listChats(userId: string, page: PageRequest): Promise<Page<Chat>> {
    const first = pageSize(page.first);
    const query = ChatRow.query(this.knex).where('user_id', userId);
    if (page.after !== undefined) {
      const after = decodeChatCursor(page.after);
      // (updated_at, id) < (after): the leading bound lets both engines walk the
      // activity index backwards from the cursor, without sorting.
      query
        .where('updated_at', '<=', after.updatedAt)
        .where((older) => older.where('updated_at', '<', after.updatedAt).orWhere('id', '<', after.id));
    }
    const rows = await query
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(first + 1);
    return toPage(rows, first, this.chatFrom, chatCursorOf);
  }

  async updateChat(userId: string, chatId: string, patch: ChatPatch): Promise<Chat | undefined> {
    const changes: Partial<ChatRecord> = { updated_at: patch.updatedAt.getTime() };
    if (patch.title !== undefined) changes.title = patch.title;
    if (patch.status !== undefined) changes.status = patch.status;
    if (patch.config !== undefined) changes.config = JSON.stringify(patch.config);
    const updated = await ChatRow.query(this.knex).patch(changes).where({ id: chatId, user_id: userId });
    if (updated === 0) return undefined;
    return this.findChat(userId, chatId);
  }

  async deleteChat(userId: string, chatId: string): Promise<boolean> {
    // Messages go with the chat through ON DELETE CASCADE.
    const deleted = await ChatRow.query(this.knex).delete().where({ id: chatId, user_id: userId });
    return deleted > 0;
  }

  async listMessages(chatId: string, page: MessagePageRequest): Promise<Page<Message>> {
    const first = pageSize(page.first);
    const query = MessageRow.query(this.knex).where('chat_id', chatId);
    if (!page.includeErased) query.where('erased', false);
    if (page.after !== undefined) query.where('seq', '>', decodeMessageCursor(page.after));
    const rows = await query.orderBy('seq', 'asc').limit(first + 1);
    return toPage(rows, first, messageFromRecord, messageCursorOf);
  }

  async findMessage(messageId: string): Promise<Message | undefined> {
    const row = await this.knex<MessageRecord>(MessageRow.tableName).where('id', messageId).first();
    return row === undefined ? undefined : messageFromRecord(row);
  }

  async latestMessages(chatIds: readonly string[]): Promise<Map<string, Message>> {
    const latest = new Map<string, Message>();
    if (chatIds.length === 0) return latest;
    // chats.last_seq points at each chat's newest message: a primary-key and a
    // unique-key lookup per chat, whatever the engine's planner makes of statistics.
    const rows = await MessageRow.query(this.knex)
      .alias('m')
      .select('m.*')
      .join(`${ChatRow.tableName} as c`, (on) => on.on('c.id', '=', 'm.chat_id').andOn('c.last_seq', '=', 'm.seq'))
      .whereIn('c.id', [...new Set(chatIds)]);
    for (const row of rows) latest.set(row.chat_id, messageFromRecord(row));
    return latest;
  }

  async findMessageAt(chatId: string, seq: number): Promise<Message | undefined> {
    const row = await this.knex<MessageRecord>(MessageRow.tableName).where({ chat_id: chatId, seq }).first();
    return row === undefined ? undefined : messageFromRecord(row);
  }

  async findStreamingReply(chatId: string): Promise<StreamingReply | undefined> {
    // A reply is the newest message while it streams: the context index finds it.
    const row = await this.knex<MessageRecord>(MessageRow.tableName)
      .where({ chat_id: chatId, erased: false, status: 'STREAMING' })
      .orderBy('seq', 'desc')
      .first();
    return row === undefined ? undefined : { message: messageFromRecord(row), lease: leaseFromRecord(row) };
  }

  async listErasedMessages(chatId: string, afterSeq: number, limit: number): Promise<Message[]> {
    const rows = await this.knex<MessageRecord>(MessageRow.tableName)
      .where({ chat_id: chatId, erased: true })
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit);
    return rows.map(messageFromRecord);
  }

  async findContextSummary(chatId: string): Promise<ContextSummary | undefined> {
    const row = await this.knex<SummaryRecord>(SUMMARY_TABLE).where('chat_id', chatId).orderBy('covers_through_seq', 'desc').first();
    return row === undefined ? undefined : summaryFromRecord(row);
  }

  async latestContextSummaries(chatIds: readonly string[]): Promise<Map<string, ContextSummary>> {
    const latest = new Map<string, ContextSummary>();
    if (chatIds.length === 0) return latest;
    const newest = this.knex(SUMMARY_TABLE)
      .select('chat_id')
      .max({ covers: 'covers_through_seq' })
      .whereIn('chat_id', [...new Set(chatIds)])
      .groupBy('chat_id')
      .as('newest');
    const rows = await this.knex<SummaryRecord>(`${SUMMARY_TABLE} as s`)
      .select('s.*')
      .join(newest, (on) => on.on('s.chat_id', '=', 'newest.chat_id').andOn('s.covers_through_seq', '=', 'newest.covers'));
    for (const row of rows) latest.set(row.chat_id, summaryFromRecord(row));
    return latest;
  }

  async streamingReplies(chatIds: readonly string[]): Promise<Map<string, Message>> {
    const streaming = new Map<string, Message>();
    if (chatIds.length === 0) return streaming;
    // The status index finds the few STREAMING rows; the chat filter keeps them to this list.
    const rows = await this.knex<MessageRecord>(MessageRow.tableName)
      .where('status', 'STREAMING')
      .whereIn('chat_id', [...new Set(chatIds)]);
    for (const row of rows) streaming.set(row.chat_id, messageFromRecord(row));
    return streaming;
  }

  async loadContext(chatId: string): Promise<Message[]> {
    const rows = await this.knex<MessageRecord>(MessageRow.tableName).where({ chat_id: chatId, erased: false }).orderBy('seq', 'asc');
    return rows.map(messageFromRecord);
  }

  async recordTurn(turn: TurnRecord): Promise<void> {
    const { newChat, chatId, expectedLastSeq, userMessage, assistantMessage, lease, erasedMessageIds, summary, at } = turn;
    if (newChat !== undefined && newChat.chat.id !== chatId) {
      throw new Error('recordTurn: newChat.chat.id must equal chatId');
    }
    const lastSeq = Math.max(userMessage.seq, assistantMessage.seq);
    try {
      await this.writes.transaction(async (trx) => {
        if (newChat !== undefined) {
          await ChatRow.query(trx).insert(chatToRecord({ ...newChat.chat, updatedAt: at }, lastSeq));
        } else {
          // Taking the chat row's lock first queues concurrent turns of one chat
          // here; the loser then finds last_seq moved on (any process) and is busy.
          const moved =
            expectedLastSeq === undefined
              ? await fixedChanges(trx, ADVANCE_CHAT, [at.getTime(), lastSeq, chatId])
              : await fixedChanges(trx, ADVANCE_CHAT_FROM, [at.getTime(), lastSeq, chatId, expectedLastSeq]);
          if (moved === 0) {
            const exists = await trx(ChatRow.tableName).where('id', chatId).first('id');
            if (exists === undefined) throw notFound('Chat');
            throw new DomainError('CHAT_BUSY', 'Another message is being answered in this chat');
          }
        }
        const records = [
          ...(newChat ? [messageToRecord(newChat.systemMessage)] : []),
          messageToRecord(userMessage),
          messageToRecord(assistantMessage, lease),
        ];
        await fixedChanges(trx, insertMessagesSql(records.length), records.flatMap(messageValues));
        if (erasedMessageIds.length > 0) {
          await MessageRow.query(trx)
            .patch({ erased: true })
            .where('chat_id', chatId)
            .whereIn('id', [...erasedMessageIds]);
        }
        if (summary !== undefined) await trx(SUMMARY_TABLE).insert(summaryToRecord(summary));
        // Last: the turn's claim on its user's budgets, refused (and the turn rolled back) when it no longer fits.
        if (turn.claim !== undefined) await holdTurnBudget(trx, turn.claim);
      });
    } catch (error) {
      if (isWriteConflict(error)) {
        throw new DomainError('CHAT_BUSY', 'Another message is being answered in this chat', { cause: error });
      }
      throw error;
    }
  }

  async finishReply(reply: Message, outcome: ReplyOutcome): Promise<Message> {
    const finishReason = finishReasonColumn(outcome.finishReason);
    const { content, status, tokenCount, usage, errorCode } = outcome;
    // Only a STREAMING reply changes: a reply that already ended keeps its first ending.
    const updated = await this.endReply(outcome.settlement, (db) =>
      fixedChanges(db, FINISH_REPLY, [
        content,
        status,
        tokenCount,
        finishReason,
        usage?.promptTokens ?? null,
        usage?.completionTokens ?? null,
        errorCode,
        reply.id,
      ]),
    );
    // The usual case needs no read-back: the row is now exactly this.
    if (updated === 1) return { ...reply, content, status, tokenCount, finishReason, usage, errorCode };
    const stored = await this.findMessage(reply.id);
    if (stored === undefined) throw notFound('Message');
    return stored;
  }

  async checkpointReply(messageId: string, content: string | undefined, lease: ReplyLease): Promise<boolean> {
    const expiresAt = lease.expiresAt.getTime();
    const updated = await this.writes.statement((db) =>
      content === undefined
        ? fixedChanges(db, RENEW_LEASE, [lease.owner, expiresAt, messageId])
        : fixedChanges(db, CHECKPOINT_REPLY, [content, lease.owner, expiresAt, messageId]),
    );
    return updated === 1;
  }

  async findExpiredReplies(now: Date, limit: number): Promise<Message[]> {
    const rows = await this.knex<MessageRecord>(MessageRow.tableName)
      .where('status', 'STREAMING')
      .where((expired) => expired.whereNull('lease_expires_at').orWhere('lease_expires_at', '<=', now.getTime()))
      .limit(limit);
    return rows.map(messageFromRecord);
  }

  async recoverReply(reply: Message, outcome: ReplyOutcome, now: Date): Promise<Message | undefined> {
    const updated = await this.endReply(outcome.settlement, (db) => db(MessageRow.tableName)
      .update({
        content: outcome.content,
        status: outcome.status,
        token_count: outcome.tokenCount,
        finish_reason: finishReasonColumn(outcome.finishReason),
        error_code: outcome.errorCode,
        lease_owner: null,
        lease_expires_at: null,
      })
      .where({ id: reply.id, status: 'STREAMING' })
      // A producer that renewed its lease meanwhile is alive: it keeps its reply.
      .where((expired) => expired.whereNull('lease_expires_at').orWhere('lease_expires_at', '<=', now.getTime())));
    if (updated === 0) return undefined;
    return this.findMessage(reply.id);
  }

  /**
   * Runs `end`, the statement that moves a reply out of STREAMING; with a
   * settlement, in one transaction with it, settled only when the reply did
   * end here (so a retried or lost ending never counts twice).
   */
  private async endReply(settlement: UsageSettlement | undefined, end: (db: Knex) => Promise<number>): Promise<number> {
    if (settlement === undefined) return this.writes.statement(end);
    return this.writes.transaction(async (trx) => {
      const updated = await end(trx);
      if (updated === 1) await settleUsage(trx, settlement);
      return updated;
    });
  }

  async checkReady(): Promise<void> {
    const pending = await pendingMigrations(this.knex);
    if (pending.length > 0) {
      throw new Error(`${pending.length} database migration(s) not applied: ${pending.join(', ')}`);
    }
  }
}

function pageSize(first: number): number {
  if (!Number.isSafeInteger(first) || first < 0) throw invalidInput('first must be a non-negative integer');
  return first;
}

function toPage<R, T>(rows: readonly R[], first: number, map: (row: R) => T, cursorOf: (row: R) => string): Page<T> {
  const items = rows.slice(0, first);
  const last = items.at(-1);
  return {
    items: items.map(map),
    hasNextPage: rows.length > first,
    endCursor: last === undefined ? null : cursorOf(last),
    cursors: items.map(cursorOf),
  };
}

const chatCursorOf = (row: ChatRecord): string => encodeCursor('chat', [Number(row.updated_at), row.id]);

function decodeChatCursor(cursor: string): { updatedAt: number; id: string } {
  const [updatedAt, id] = decodeCursor('chat', cursor, ['integer', 'string']);
  return { updatedAt, id };
}

const messageCursorOf = (row: MessageRecord): string => encodeCursor('message', [Number(row.seq)]);

const decodeMessageCursor = (cursor: string): number => decodeCursor('message', cursor, ['integer'])[0];

// Unique-key violations from either driver (raw, or wrapped by objection), and
// InnoDB's deadlock verdict, which only a concurrent writer of the same chat causes here.
const WRITE_CONFLICT_CODES = new Set([
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'ER_DUP_ENTRY',
  'ER_LOCK_DEADLOCK',
]);

function isWriteConflict(error: unknown): boolean {
  const codeOf = (value: unknown): unknown =>
    typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  const nativeError = typeof error === 'object' && error !== null ? (error as { nativeError?: unknown }).nativeError : undefined;
  return [codeOf(error), codeOf(nativeError)].some((code) => typeof code === 'string' && WRITE_CONFLICT_CODES.has(code));
}
