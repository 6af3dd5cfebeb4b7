import type { ChatRecord, MessageRecord } from '../../../src/infra/db/row-mapper.js';
import type { SummaryRecord } from '../../../src/infra/db/summary-row.js';
import type { BudgetRow, LedgerRow, ReservationRow, UserLimitsRow } from '../../../src/infra/db/usage-rows.js';

/**
 * One in-memory database: the tables every in-memory port of one store
 * shares, as the knex adapters share one schema. A turn's claim written by
 * the chat repository is then exactly what the budgets and the ledger read.
 *
 * The rows are the very records the knex adapters write (row-mapper.ts,
 * summary-row.ts, usage-rows.ts) and are read back through the same mappers,
 * so a round trip keeps what a database keeps and nothing more (finish
 * reasons cut to 64 characters, usage reduced to its two stored counts,
 * dates to milliseconds, a summary's `usageEstimated` dropped).
 *
 * Rows are never mutated in place: an update replaces the row. That is what
 * makes `transaction` a cheap snapshot of the maps.
 */
export class MemoryTables {
  readonly chats = new Map<string, ChatRecord>();
  /** By id, in insertion order (SQLite's rowid order: what an unordered query returns). */
  readonly messages = new Map<string, MessageRecord>();
  readonly summaries = new Map<string, SummaryRecord>();
  readonly budgets = new Map<string, BudgetRow>();
  readonly reservations = new Map<string, ReservationRow>();
  /** Keyed by ledgerKey(message id, kind): the ledger's primary key. */
  readonly ledger = new Map<string, LedgerRow>();
  readonly userLimits = new Map<string, UserLimitsRow>();

  /**
   * Runs `write` all or nothing, like a database transaction: when it throws,
   * every table is put back as it was. `write` is synchronous, so no other
   * call can see its intermediate state (the isolation a lock gives).
   */
  transaction<T>(write: () => T): T {
    const tables = this.all();
    const saved = tables.map((table) => new Map(table));
    try {
      return write();
    } catch (error) {
      tables.forEach((table, index) => {
        table.clear();
        for (const [key, row] of saved[index]!) table.set(key, row);
      });
      throw error;
    }
  }

  /** A chat's messages by seq (the unique (chat_id, seq) key's order). */
  messagesOf(chatId: string): MessageRecord[] {
    return [...this.messages.values()].filter((row) => row.chat_id === chatId).sort((a, b) => a.seq - b.seq);
  }

  insertChat(row: ChatRecord): void {
    if (this.chats.has(row.id)) throw new DuplicateKey('chats', row.id);
    this.chats.set(row.id, row);
  }

  insertMessage(row: MessageRecord): void {
    if (this.messages.has(row.id)) throw new DuplicateKey('messages', row.id);
    if (this.messagesOf(row.chat_id).some((other) => other.seq === row.seq)) throw new DuplicateKey('messages', `${row.chat_id}/${row.seq}`);
    if (!this.chats.has(row.chat_id)) throw new Error(`foreign key: no chat ${row.chat_id} for message ${row.id}`);
    this.messages.set(row.id, row);
  }

  insertSummary(row: SummaryRecord): void {
    if (this.summaries.has(row.id)) throw new DuplicateKey('chat_summaries', row.id);
    const taken = [...this.summaries.values()].some((s) => s.chat_id === row.chat_id && s.covers_through_seq === row.covers_through_seq);
    if (taken) throw new DuplicateKey('chat_summaries', `${row.chat_id}/${row.covers_through_seq}`);
    if (!this.chats.has(row.chat_id)) throw new Error(`foreign key: no chat ${row.chat_id} for summary ${row.id}`);
    this.summaries.set(row.id, row);
  }

  /** Deletes a chat; its messages and summaries go with it (ON DELETE CASCADE). Usage rows stay: the bill outlives the chat. */
  deleteChat(chatId: string): boolean {
    if (!this.chats.delete(chatId)) return false;
    for (const [id, row] of this.messages) if (row.chat_id === chatId) this.messages.delete(id);
    for (const [id, row] of this.summaries) if (row.chat_id === chatId) this.summaries.delete(id);
    return true;
  }

  private all(): Map<string, unknown>[] {
    return [this.chats, this.messages, this.summaries, this.budgets, this.reservations, this.ledger, this.userLimits];
  }
}

/** The ledger's primary key (message_id, kind) as one map key. */
export const ledgerKey = (messageId: string, kind: string): string => `${messageId}\u0000${kind}`;

/** A unique or primary key violation: what a concurrent writer of the same rows meets (the knex repository's write conflict). */
export class DuplicateKey extends Error {
  constructor(table: string, key: string) {
    super(`duplicate key in ${table}: ${key}`);
    this.name = 'DuplicateKey';
  }
}

/**
 * Byte order of the UTF-8 encodings: how both engines compare ids (SQLite's
 * BINARY collation, MySQL's binary columns). JavaScript's `<` compares UTF-16
 * code units, which orders some characters differently.
 */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
