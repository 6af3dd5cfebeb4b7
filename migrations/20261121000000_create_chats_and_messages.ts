import type { Knex } from 'knex';

/**
 * Times are integer epoch milliseconds: exact, ordered the same way and free
 * of time-zone conversions on every engine. On MySQL every table is InnoDB
 * with utf8mb4_bin, so 4-byte characters survive byte-exact and text compares
 * byte-wise, as it does in SQLite (MariaDB has no utf8mb4_0900 collations).
 */
const onMysql = (knex: Knex, table: Knex.CreateTableBuilder): void => {
  if (knex.client.dialect !== 'mysql') return;
  table.engine('InnoDB');
  table.charset('utf8mb4');
  table.collate('utf8mb4_bin');
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('chats', (table) => {
    onMysql(knex, table);
    table.string('id', 36).primary();
    table.string('user_id', 200).notNullable();
    table.string('title', 200).notNullable();
    table.string('status', 16).notNullable();
    table.string('model', 128).notNullable();
    table.string('persona_id', 64).nullable();
    // mediumtext like messages.content, since the system prompt is also stored as the chat's first message.
    table.text('system_prompt', 'mediumtext').notNullable();
    table.text('config').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.integer('last_seq').notNullable().defaultTo(0);
    table.index(['user_id', 'updated_at', 'id'], 'chats_user_activity_idx');
  });

  await knex.schema.createTable('messages', (table) => {
    onMysql(knex, table);
    table.string('id', 36).primary();
    table.string('chat_id', 36).notNullable().references('id').inTable('chats').onDelete('CASCADE');
    table.integer('seq').notNullable();
    table.string('role', 16).notNullable();
    table.text('content', 'mediumtext').notNullable();
    table.integer('token_count').notNullable();
    table.string('status', 16).notNullable();
    table.boolean('erased').notNullable().defaultTo(false);
    table.string('model', 128).notNullable();
    table.string('finish_reason', 64).nullable();
    table.integer('usage_prompt_tokens').nullable();
    table.integer('usage_completion_tokens').nullable();
    table.bigInteger('created_at').notNullable();
    // Also the guard that lets only one writer take a position in a chat (CHAT_BUSY).
    table.unique(['chat_id', 'seq'], { indexName: 'messages_chat_seq_unique' });
    table.index(['chat_id', 'erased', 'seq'], 'messages_chat_context_idx');
    // Finds the few STREAMING replies at start-up without scanning all history.
    table.index(['status'], 'messages_status_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('messages');
  await knex.schema.dropTable('chats');
}
