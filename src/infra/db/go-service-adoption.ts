import type { Knex } from 'knex';
import { adoptConversation, type AdoptionContext, type GoChatRow, type GoMessageRow } from './go-service-rows.js';

const ADOPTION_TABLE = 'go_service_adoption';
/** Chats read, converted and written per round trip; each chat's messages come in one query. */
const CHATS_PER_BATCH = 200;
const ROWS_PER_INSERT = 100;

export interface GoTables {
  readonly chats: string;
  readonly messages: string | null;
}

export interface AdoptionReport {
  readonly chats: number;
  readonly messages: number;
  readonly erased: number;
  /** Messages whose Go token count was not the exact chat-format count, and were counted again. */
  readonly recounted: number;
  readonly notes: readonly string[];
}

export interface AdoptionSummary {
  readonly chats: number;
  readonly messages: number;
  readonly erased: number;
}

/** When the Go tables were already copied: the record of that adoption. */
export async function previousAdoption(knex: Knex, tables: GoTables): Promise<{ adoptedAt: Date } | undefined> {
  if (!(await knex.schema.hasTable(ADOPTION_TABLE))) return undefined;
  const row = await knex(ADOPTION_TABLE).where({ source: tables.chats }).first('adopted_at');
  return row ? { adoptedAt: new Date(Number(row.adopted_at)) } : undefined;
}

/** What an adoption would copy, for the dry run. */
export async function summarizeGoTables(knex: Knex, tables: GoTables): Promise<AdoptionSummary> {
  const chats = await countRows(knex(tables.chats));
  if (tables.messages === null) return { chats, messages: 0, erased: 0 };
  const messages = await countRows(knex(tables.messages).whereIn('chat_id', knex(tables.chats).select('id')));
  const erased = await countRows(knex(tables.messages).whereIn('chat_id', knex(tables.chats).select('id')).where('erased', true));
  return { chats, messages, erased };
}

/**
 * Copies every Go chat and message into our tables, in one transaction with
 * the record that it happened: it runs once, and a failure leaves nothing
 * half-copied. The Go tables are only read.
 */
export async function adoptGoTables(knex: Knex, tables: GoTables, ctx: AdoptionContext, now: Date): Promise<AdoptionReport> {
  return knex.transaction(async (trx) => {
    let chats = 0;
    let messages = 0;
    let erased = 0;
    let recounted = 0;
    const notes: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page: GoChatRow[] = await trx(tables.chats)
        .modify((q) => (after === undefined ? q : q.where('id', '>', after)))
        .orderBy('id')
        .limit(CHATS_PER_BATCH);
      if (page.length === 0) break;
      after = page.at(-1)!.id;
      const goMessages: GoMessageRow[] =
        tables.messages === null ? [] : await trx(tables.messages).whereIn('chat_id', page.map((c) => c.id));
      const byChat = groupByChat(goMessages);
      const adopted = page.map((chat) => adoptConversation(chat, byChat.get(chat.id) ?? [], ctx));
      await trx.batchInsert('chats', adopted.map((a) => a.chat), ROWS_PER_INSERT);
      await trx.batchInsert('messages', adopted.flatMap((a) => a.messages), ROWS_PER_INSERT);
      for (const a of adopted) {
        chats += 1;
        messages += a.messages.length;
        erased += a.messages.filter((m) => m.erased).length;
        recounted += a.recounted;
        notes.push(...a.notes.map((note) => `chat ${a.chat.id}: ${note}`));
      }
    }
    await trx(ADOPTION_TABLE).insert({ source: tables.chats, adopted_at: now.getTime(), chats, messages, recounted_messages: recounted });
    return { chats, messages, erased, recounted, notes };
  });
}

function groupByChat(messages: readonly GoMessageRow[]): Map<string, GoMessageRow[]> {
  const byChat = new Map<string, GoMessageRow[]>();
  for (const message of messages) {
    const list = byChat.get(message.chat_id);
    if (list) list.push(message);
    else byChat.set(message.chat_id, [message]);
  }
  return byChat;
}

async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const [row] = await query.count({ n: '*' });
  return Number(row?.n ?? 0);
}
