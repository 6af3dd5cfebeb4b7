import type { Knex } from 'knex';
import { migrationNames, migrationSource } from '../../../migrations/index.js';

const MIGRATIONS_TABLE = 'knex_migrations';

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource, tableName: MIGRATIONS_TABLE })) as [
    number,
    string[],
  ];
  return applied;
}

/**
 * Names of the migrations not applied yet, oldest first. Read-only (unlike
 * knex.migrate.list, which creates its tables), so readiness probes can call it.
 */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  let applied: Set<string>;
  try {
    const rows: { name: string }[] = await knex(MIGRATIONS_TABLE).select('name');
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    if (await knex.schema.hasTable(MIGRATIONS_TABLE)) throw error;
    return [...migrationNames];
  }
  return migrationNames.filter((name) => !applied.has(name));
}
