import type { Knex } from 'knex';
import { migrationNames, migrationSource } from '../../../migrations/index.js';
import { DEFAULT_SYSTEM_PROMPT } from '../../config.js';
import { ModelCatalog } from '../../domain/models.js';
import type { Clock, Logger, TokenCounter } from '../../use-cases/ports.js';
import { TiktokenCounter } from '../tokenizer/tiktoken-counter.js';
import { adoptGoTables, previousAdoption, summarizeGoTables, type AdoptionSummary, type GoTables } from './go-service-adoption.js';
import { GO_TABLES, StoreSchemaError, locateGoTables, setAsideGoTables, type GoTablesLocation } from './go-service-schema.js';

const MIGRATIONS_TABLE = 'knex_migrations';

export interface MigrateOptions {
  readonly logger?: Logger;
  /** Counts adopted messages; default: a TiktokenCounter built only if there is something to adopt. */
  readonly tokens?: TokenCounter;
  /** Resolves an adopted chat's model to its encoding and limits. */
  readonly models?: ModelCatalog;
  /** For an adopted chat whose system message is missing (INITIAL_CHAT_MESSAGE). */
  readonly systemPrompt?: string;
  readonly clock?: Clock;
}

/**
 * Brings the store to the latest schema; returns the names of the migrations
 * applied. The original Go service's tables, if found in the way, are first
 * renamed to go_chats/go_messages, and once our tables exist their rows are
 * copied into them (once: a second run changes nothing).
 */
export async function migrateToLatest(knex: Knex, options: MigrateOptions = {}): Promise<string[]> {
  const { logger } = options;
  const location = await locateGoTables(knex);
  if (location.state === 'in-place') {
    await setAsideGoTables(knex, location);
    logger?.warn(
      { from: ['chats', location.messages].filter(Boolean), to: [GO_TABLES.chats, location.messages && GO_TABLES.messages].filter(Boolean) },
      "found the original Go service's tables: renamed them (they are kept, never dropped) to adopt their chats",
    );
  }
  const applied = await latest(knex);
  if (location.state !== 'absent') await adoptOnce(knex, goTablesOf(location), options);
  return applied;
}

async function latest(knex: Knex): Promise<string[]> {
  try {
    const [, applied] = (await knex.migrate.latest({ migrationSource, tableName: MIGRATIONS_TABLE })) as [number, string[]];
    return applied;
  } catch (error) {
    const table = existingTableIn(error);
    if (table === undefined) throw error;
    throw new StoreSchemaError(
      `Cannot create table "${table}": a table of that name already exists and was not created by this service. ` +
        'Point DATABASE_URL (or DB_NAME) at an empty database, or rename that table.',
      { cause: error },
    );
  }
}

async function adoptOnce(knex: Knex, tables: GoTables, options: MigrateOptions): Promise<void> {
  if (await previousAdoption(knex, tables)) return;
  const tokens = options.tokens ?? new TiktokenCounter();
  const models = options.models ?? new ModelCatalog({ unknownModelWindow: 8_192 });
  const now = options.clock?.now() ?? new Date();
  const report = await adoptGoTables(
    knex,
    tables,
    { tokens, modelSpec: (name) => models.resolve(name).spec, systemPrompt: options.systemPrompt ?? DEFAULT_SYSTEM_PROMPT },
    now,
  );
  options.logger?.warn(
    { chats: report.chats, messages: report.messages, erased: report.erased, recounted: report.recounted, from: tables },
    "adopted the Go service's chats and messages",
  );
  if (report.recounted > 0) {
    options.logger?.warn(
      { recounted: report.recounted, of: report.messages },
      'token counts recomputed with the exact tokenizer: the Go service stored content-only counts, without the chat-format overhead',
    );
  }
  for (const note of report.notes) options.logger?.warn({ note }, 'adoption note');
}

/** What `npm run migrate -- --dry-run` prints: nothing is changed to find it out. */
export interface MigrationPlan {
  readonly goTables: 'none' | 'rename-and-adopt' | 'adopt' | 'already-adopted';
  readonly adoption?: AdoptionSummary | undefined;
  readonly adoptedAt?: Date | undefined;
  readonly pending: readonly string[];
}

/** Throws StoreSchemaError, as a real run would, when a table is in the way. */
export async function planMigration(knex: Knex): Promise<MigrationPlan> {
  const location = await locateGoTables(knex);
  const pending = await pendingMigrations(knex);
  if (location.state === 'absent') return { goTables: 'none', pending };
  if (location.state === 'in-place') {
    const adoption = await summarizeGoTables(knex, { chats: location.chats, messages: location.messages });
    return { goTables: 'rename-and-adopt', adoption, pending };
  }
  const previous = await previousAdoption(knex, location);
  if (previous) return { goTables: 'already-adopted', adoptedAt: previous.adoptedAt, pending };
  return { goTables: 'adopt', adoption: await summarizeGoTables(knex, location), pending };
}

export function describePlan(plan: MigrationPlan): string {
  const lines: string[] = [];
  if (plan.goTables === 'rename-and-adopt') {
    lines.push(`Rename the Go service's tables: chats -> ${GO_TABLES.chats}, messages -> ${GO_TABLES.messages} (kept, never dropped)`);
  }
  lines.push(
    plan.pending.length > 0 ? `Apply ${plan.pending.length} migration(s): ${plan.pending.join(', ')}` : 'No migration to apply',
  );
  if (plan.adoption) {
    const { chats, messages, erased } = plan.adoption;
    lines.push(
      `Copy ${chats} chat(s) and ${messages} message(s) (${erased} erased) from the Go tables, ids kept, ` +
        'token counts recomputed with the exact tokenizer',
    );
  }
  if (plan.goTables === 'already-adopted') lines.push(`The Go service's tables were adopted on ${plan.adoptedAt!.toISOString()}: nothing to copy`);
  return `Dry run, nothing changed. The migration would:\n${lines.map((line) => `  - ${line}`).join('\n')}\n`;
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

function goTablesOf(location: Exclude<GoTablesLocation, { state: 'absent' }>): GoTables {
  return location.state === 'in-place'
    ? { chats: GO_TABLES.chats, messages: location.messages === null ? null : GO_TABLES.messages }
    : { chats: location.chats, messages: location.messages };
}

/** The table named by a "table already exists" error of MySQL/MariaDB or SQLite. */
function existingTableIn(error: unknown): string | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  if (code !== 'ER_TABLE_EXISTS_ERROR' && !/already exists/i.test(message)) return undefined;
  return /table [`'"]?([\w$]+)[`'"]? already exists/i.exec(message)?.[1] ?? 'unknown';
}
