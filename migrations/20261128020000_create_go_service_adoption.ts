import type { Knex } from 'knex';

/**
 * One row per adoption of the original Go service's tables (renamed to
 * go_chats/go_messages): its presence is what makes a second start copy
 * nothing, even after adopted chats were deleted. Same conventions as the
 * other tables: epoch-millisecond times, InnoDB utf8mb4_bin on MySQL.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('go_service_adoption', (table) => {
    if (knex.client.dialect === 'mysql') {
      table.engine('InnoDB');
      table.charset('utf8mb4');
      table.collate('utf8mb4_bin');
    }
    table.string('source', 64).primary();
    table.bigInteger('adopted_at').notNullable();
    table.integer('chats').notNullable();
    table.integer('messages').notNullable();
    table.integer('recounted_messages').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('go_service_adoption');
}
