import type { Knex } from 'knex';

/**
 * Usage, cost and budgets per user.
 *
 * - `usage_ledger`: one row per upstream call (a reply, or the summary a turn
 *   folded), written in the transaction that ends the reply (or stores the
 *   turn, for summaries). Its key (message_id, kind) makes a retried write
 *   change nothing. No foreign key: the bill outlives a deleted chat.
 * - `usage_reservations`: the open claim of each reply in progress (its
 *   worst case, held against the budgets), written with the turn, deleted
 *   when the reply's usage is settled (or its expired reply recovered).
 * - `usage_budgets`: one row of running totals per user, the current UTC
 *   day's tokens and month's micro-dollars, spent and held, and the replies
 *   running; turns are admitted by a conditional UPDATE of this row.
 * - `user_limits`: per-user overrides of the USER_* defaults (NULL: the
 *   default; 0: unlimited).
 *
 * Money is integer micro-dollars (BIGINT), times epoch milliseconds, ids
 * VARBINARY on MySQL (byte-exact, as since the exact_ids migration).
 */
export async function up(knex: Knex): Promise<void> {
  const mysql = knex.client.dialect === 'mysql';
  const onMysql = (table: Knex.CreateTableBuilder) => {
    if (!mysql) return;
    table.engine('InnoDB');
    table.charset('utf8mb4');
    table.collate('utf8mb4_bin');
  };
  const id = (table: Knex.CreateTableBuilder, name: string, chars: number) =>
    mysql ? table.specificType(name, `VARBINARY(${chars * 4})`).notNullable() : table.string(name, chars).notNullable();

  await knex.schema.createTable('usage_ledger', (table) => {
    onMysql(table);
    id(table, 'message_id', 36);
    table.string('kind', 16).notNullable();
    id(table, 'user_id', 200);
    id(table, 'chat_id', 36);
    table.string('channel', 16).notNullable();
    table.string('model', 128).notNullable();
    table.integer('prompt_tokens').notNullable();
    table.integer('cached_prompt_tokens').notNullable();
    table.integer('completion_tokens').notNullable();
    table.integer('reasoning_tokens').nullable();
    table.boolean('estimated').notNullable();
    table.bigInteger('cost_micros').notNullable();
    table.string('price_version', 96).notNullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['message_id', 'kind']);
    // Query.usage: one user's rows in a time range.
    table.index(['user_id', 'created_at'], 'usage_ledger_user_time_idx');
  });

  await knex.schema.createTable('usage_reservations', (table) => {
    onMysql(table);
    id(table, 'message_id', 36).primary();
    id(table, 'user_id', 200);
    id(table, 'chat_id', 36);
    table.string('channel', 16).notNullable();
    table.string('model', 128).notNullable();
    table.integer('prompt_tokens').notNullable();
    table.string('day_key', 10).notNullable();
    table.string('month_key', 7).notNullable();
    table.bigInteger('held_tokens').notNullable();
    table.bigInteger('held_micros').notNullable();
    table.boolean('holds_reply_slot').notNullable();
    table.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable('usage_budgets', (table) => {
    onMysql(table);
    id(table, 'user_id', 200).primary();
    table.string('day_key', 10).notNullable();
    table.bigInteger('day_spent_tokens').notNullable();
    table.bigInteger('day_reserved_tokens').notNullable();
    table.string('month_key', 7).notNullable();
    table.bigInteger('month_spent_micros').notNullable();
    table.bigInteger('month_reserved_micros').notNullable();
    table.integer('running_replies').notNullable();
    table.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('user_limits', (table) => {
    onMysql(table);
    id(table, 'user_id', 200).primary();
    table.integer('requests_per_minute').nullable();
    table.bigInteger('daily_tokens').nullable();
    table.bigInteger('monthly_budget_micros').nullable();
    table.integer('concurrent_replies').nullable();
    table.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_limits');
  await knex.schema.dropTable('usage_budgets');
  await knex.schema.dropTable('usage_reservations');
  await knex.schema.dropTable('usage_ledger');
}
