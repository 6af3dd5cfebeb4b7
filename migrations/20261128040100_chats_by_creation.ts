import type { Knex } from 'knex';

/**
 * Exports page through a user's chats in creation order (stable while the
 * user keeps chatting, unlike activity order): this index walks them without
 * sorting all of that user's chats for every page.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('chats', (table) => table.index(['user_id', 'created_at', 'id'], 'chats_user_created_idx'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('chats', (table) => table.dropIndex(['user_id', 'created_at', 'id'], 'chats_user_created_idx'));
}
