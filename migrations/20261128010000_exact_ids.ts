import type { Knex } from 'knex';

/**
 * Ids compare byte for byte on MySQL/MariaDB too. utf8mb4_bin is PAD SPACE on
 * both servers ('alice' = 'alice '), and no NO PAD binary collation exists on
 * both (MySQL 8 has utf8mb4_0900_bin, MariaDB utf8mb4_nopad_bin), so id
 * columns become VARBINARY: same bytes, compared as bytes, no padding, on
 * every server. VARBINARY(4n) holds what VARCHAR(n) utf8mb4 held. SQLite
 * already compares text with memcmp and no padding: nothing to do there.
 * The connection decodes these columns back to strings (see create-knex.ts).
 */
const ID_COLUMNS: readonly IdColumn[] = [
  { table: 'chats', column: 'id', chars: 36, nullable: false },
  { table: 'chats', column: 'user_id', chars: 200, nullable: false },
  { table: 'chats', column: 'persona_id', chars: 64, nullable: true },
  { table: 'messages', column: 'id', chars: 36, nullable: false },
  { table: 'messages', column: 'chat_id', chars: 36, nullable: false },
  { table: 'whatsapp_inbound_messages', column: 'message_sid', chars: 34, nullable: false },
  { table: 'whatsapp_inbound_messages', column: 'user_id', chars: 200, nullable: false },
  { table: 'whatsapp_inbound_messages', column: 'chat_id', chars: 36, nullable: true },
  { table: 'whatsapp_inbound_messages', column: 'reply_message_id', chars: 36, nullable: true },
  { table: 'whatsapp_users', column: 'user_id', chars: 200, nullable: false },
  { table: 'whatsapp_users', column: 'current_chat_id', chars: 36, nullable: true },
  { table: 'whatsapp_users', column: 'persona_id', chars: 64, nullable: true },
];

// Both sides of a foreign key must have the same type, so the keys are dropped while the columns change.
const FOREIGN_KEYS: readonly ForeignKey[] = [
  { table: 'messages', column: 'chat_id', references: 'chats.id', onDelete: 'CASCADE' },
  { table: 'whatsapp_users', column: 'current_chat_id', references: 'chats.id', onDelete: 'SET NULL' },
];

interface IdColumn {
  readonly table: string;
  readonly column: string;
  readonly chars: number;
  readonly nullable: boolean;
}

interface ForeignKey {
  readonly table: string;
  readonly column: string;
  readonly references: string;
  readonly onDelete: 'CASCADE' | 'SET NULL';
}

export async function up(knex: Knex): Promise<void> {
  if (knex.client.dialect !== 'mysql') return;
  await changeIdColumns(knex, (c) => `VARBINARY(${c.chars * 4})`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.dialect !== 'mysql') return;
  await changeIdColumns(knex, (c) => `VARCHAR(${c.chars}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
}

async function changeIdColumns(knex: Knex, typeOf: (column: IdColumn) => string): Promise<void> {
  for (const key of FOREIGN_KEYS) {
    await knex.schema.alterTable(key.table, (table) => table.dropForeign([key.column]));
  }
  for (const column of ID_COLUMNS) {
    await knex.raw(`ALTER TABLE ?? MODIFY ?? ${typeOf(column)} ${column.nullable ? 'NULL' : 'NOT NULL'}`, [column.table, column.column]);
  }
  for (const key of FOREIGN_KEYS) {
    await knex.schema.alterTable(key.table, (table) => table.foreign(key.column).references(key.references).onDelete(key.onDelete));
  }
}
