import type { Knex } from 'knex';
import * as createChatsAndMessages from './20261121000000_create_chats_and_messages.js';
import * as createWhatsAppTables from './20261121010000_create_whatsapp_tables.js';
import * as durableReplies from './20261128000000_durable_replies.js';
import * as exactIds from './20261128010000_exact_ids.js';
import * as createGoServiceAdoption from './20261128020000_create_go_service_adoption.js';
import * as createChatSummaries from './20261128030000_create_chat_summaries.js';
import * as messageSearch from './20261128040000_message_search.js';
import * as chatsByCreation from './20261128040100_chats_by_creation.js';
import * as usageLedger from './20261128050000_usage_ledger.js';

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
  { name: '20261128000000_durable_replies', migration: durableReplies },
  { name: '20261128010000_exact_ids', migration: exactIds },
  { name: '20261128020000_create_go_service_adoption', migration: createGoServiceAdoption },
  { name: '20261128030000_create_chat_summaries', migration: createChatSummaries },
  { name: '20261128040000_message_search', migration: messageSearch },
  { name: '20261128040100_chats_by_creation', migration: chatsByCreation },
  { name: '20261128050000_usage_ledger', migration: usageLedger },
];

export const migrationNames: readonly string[] = MIGRATIONS.map((m) => m.name);

export const migrationSource: Knex.MigrationSource<MigrationEntry> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (entry) => entry.name,
  getMigration: async (entry) => entry.migration,
};
