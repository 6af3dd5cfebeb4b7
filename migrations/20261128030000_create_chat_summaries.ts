import type { Knex } from 'knex';

/**
 * The running summaries of chats that summarise what leaves the window: one
 * row per fold (insert-only, so a fold is never lost to a concurrent one and
 * each row is one summary call's usage), the newest being the chat's current
 * summary. Messages are not touched. Same conventions as the other tables:
 * epoch-millisecond times, InnoDB utf8mb4_bin, and ids as VARBINARY on MySQL
 * (byte-exact, like every id column since the exact_ids migration).
 */
export async function up(knex: Knex): Promise<void> {
  const mysql = knex.client.dialect === 'mysql';
  await knex.schema.createTable('chat_summaries', (table) => {
    if (mysql) {
      table.engine('InnoDB');
      table.charset('utf8mb4');
      table.collate('utf8mb4_bin');
    }
    if (mysql) {
      table.specificType('id', 'VARBINARY(144)').notNullable().primary();
      table.specificType('chat_id', 'VARBINARY(144)').notNullable();
    } else {
      table.string('id', 36).primary();
      table.string('chat_id', 36).notNullable();
    }
    table.foreign('chat_id').references('chats.id').onDelete('CASCADE');
    table.integer('covers_through_seq').notNullable();
    table.text('content', 'mediumtext').notNullable();
    table.integer('token_count').notNullable();
    table.string('model', 128).notNullable();
    table.integer('usage_prompt_tokens').notNullable();
    table.integer('usage_completion_tokens').notNullable();
    table.bigInteger('created_at').notNullable();
    // One fold per position: the current summary is the last entry of this index.
    table.unique(['chat_id', 'covers_through_seq'], { indexName: 'chat_summaries_chat_covers_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('chat_summaries');
}
