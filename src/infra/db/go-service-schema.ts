import type { Knex } from 'knex';

/**
 * The original Go service's tables (its sql/migrations/000001_init.up.sql)
 * use the names our first migration creates, `chats` and `messages`. They are
 * recognised by their columns, moved aside under these names before our
 * migrations run, and copied afterwards (go-service-adoption.ts). They are
 * never dropped.
 */
export const GO_TABLES = { chats: 'go_chats', messages: 'go_messages' } as const;

const GO_CHAT_COLUMNS = ['id', 'user_id', 'initial_message_id', 'status', 'token_usage', 'model', 'model_max_tokens', 'max_tokens'];
const GO_MESSAGE_COLUMNS = ['id', 'chat_id', 'role', 'content', 'tokens', 'erased', 'order_msg', 'created_at'];

/** The migration that creates our `chats` and `messages`: once applied, those tables are ours. */
const FIRST_MIGRATION = '20261121000000_create_chats_and_messages';
const MIGRATIONS_TABLE = 'knex_migrations';

/** The store holds something our migrations cannot deal with; the message says what and what to do. */
export class StoreSchemaError extends Error {
  override readonly name = 'StoreSchemaError';
}

/** Where the Go service's tables are, if anywhere. */
export type GoTablesLocation =
  /** Under their original names, in the way of our first migration. */
  | { readonly state: 'in-place'; readonly chats: 'chats'; readonly messages: 'messages' | null }
  /** Already moved aside (possibly by an earlier, interrupted run). */
  | { readonly state: 'set-aside'; readonly chats: string; readonly messages: string | null }
  | { readonly state: 'absent' };

/**
 * Finds the Go service's tables. Throws StoreSchemaError when `chats` or
 * `messages` exist, are not ours and are not the Go service's, or when Go
 * tables sit both in place and aside.
 */
export async function locateGoTables(knex: Knex): Promise<GoTablesLocation> {
  const setAside = (await knex.schema.hasTable(GO_TABLES.chats))
    ? { chats: GO_TABLES.chats, messages: (await knex.schema.hasTable(GO_TABLES.messages)) ? GO_TABLES.messages : null }
    : null;
  if (await ourTablesExist(knex)) {
    return setAside ? { state: 'set-aside', ...setAside } : { state: 'absent' };
  }
  const chats = await columnsOf(knex, 'chats');
  const messages = await columnsOf(knex, 'messages');
  if (chats === null && messages === null) return setAside ? { state: 'set-aside', ...setAside } : { state: 'absent' };
  if (chats !== null && hasAll(chats, GO_CHAT_COLUMNS) && (messages === null || hasAll(messages, GO_MESSAGE_COLUMNS))) {
    if (setAside) {
      throw new StoreSchemaError(
        `The database holds the Go service's tables twice: as chats/messages and as ${GO_TABLES.chats}/${GO_TABLES.messages}. ` +
          'Keep one copy (rename or drop the other yourself), then start again.',
      );
    }
    return { state: 'in-place', chats: 'chats', messages: messages === null ? null : 'messages' };
  }
  const [name, columns] = chats !== null ? ['chats', chats] : ['messages', messages!];
  throw new StoreSchemaError(
    `Table "${name}" already exists but was not created by this service's migrations, nor by the original Go chat service ` +
      `(its columns: ${[...columns].join(', ')}). Point DATABASE_URL (or DB_NAME) at an empty database, or rename that table.`,
  );
}

/**
 * Renames the Go tables to go_chats/go_messages in one step: a single RENAME
 * TABLE on MySQL (atomic there), one transaction on SQLite. Foreign keys
 * follow the rename on both engines.
 */
export async function setAsideGoTables(knex: Knex, location: Extract<GoTablesLocation, { state: 'in-place' }>): Promise<void> {
  if (knex.client.dialect === 'mysql') {
    const pairs = location.messages === null ? [['chats', GO_TABLES.chats]] : [['chats', GO_TABLES.chats], ['messages', GO_TABLES.messages]];
    await knex.raw(`RENAME TABLE ${pairs.map(() => '?? TO ??').join(', ')}`, pairs.flat());
    return;
  }
  await knex.transaction(async (trx) => {
    await trx.raw('ALTER TABLE ?? RENAME TO ??', ['chats', GO_TABLES.chats]);
    if (location.messages !== null) await trx.raw('ALTER TABLE ?? RENAME TO ??', ['messages', GO_TABLES.messages]);
  });
}

/** Has our first migration run? Read-only: creates nothing. */
async function ourTablesExist(knex: Knex): Promise<boolean> {
  if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) return false;
  const row = await knex(MIGRATIONS_TABLE).where({ name: FIRST_MIGRATION }).first('name');
  return row !== undefined;
}

async function columnsOf(knex: Knex, table: string): Promise<Set<string> | null> {
  if (!(await knex.schema.hasTable(table))) return null;
  const info = await knex(table).columnInfo();
  return new Set(Object.keys(info).map((column) => column.toLowerCase()));
}

const hasAll = (columns: Set<string>, required: readonly string[]) => required.every((column) => columns.has(column));
