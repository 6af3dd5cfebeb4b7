import type { Knex } from 'knex';

/**
 * Durable replies: the process producing a reply holds a lease on its row
 * (owner + expiry, renewed while it streams), so that only replies whose
 * producer is gone are recovered, and a reply remembers why it failed, so
 * that watching it later reports the same code.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (table) => {
    table.string('lease_owner', 64).nullable();
    table.bigInteger('lease_expires_at').nullable();
    table.string('error_code', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (table) => {
    table.dropColumn('error_code');
    table.dropColumn('lease_expires_at');
    table.dropColumn('lease_owner');
  });
}
