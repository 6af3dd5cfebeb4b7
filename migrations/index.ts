import type { Knex } from 'knex';
import * as createChatsAndMessages from './20261121000000_create_chats_and_messages.js';
import * as createWhatsAppTables from './20261121010000_create_whatsapp_tables.js';

interface MigrationEntry {
  readonly name: string;
  readonly migration: Knex.Migration;
}

/**
 * Every migration, oldest first. Listed explicitly rather than read from a
 * directory, so the same names are recorded whether the code runs from
 * TypeScript (vitest, tsx) or from compiled JavaScript in dist/.
 */
const MIGRATIONS: readonly MigrationEntry[] = [
  { name: '20261121000000_create_chats_and_messages', migration: createChatsAndMessages },
  { name: '20261121010000_create_whatsapp_tables', migration: createWhatsAppTables },
];

export const migrationNames: readonly string[] = MIGRATIONS.map((m) => m.name);

export const migrationSource: Knex.MigrationSource<MigrationEntry> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (entry) => entry.name,
  getMigration: async (entry) => entry.migration,
};
