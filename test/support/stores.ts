import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createKnex } from '../../src/infra/db/create-knex.js';
import { KnexChatRepository } from '../../src/infra/db/knex-chat-repository.js';
import { migrateToLatest } from '../../src/infra/db/migrate.js';

/*
 * Stores for tests, on every supported engine. Typical use:
 *
 *   describe.each(storeEngines())('on %s', (engine) => {
 *     const store = useStore(engine);          // fresh migrated database for this suite
 *     it('...', async () => { await store().repository.findChat(...) });
 *   });
 *
 * or by hand: `const store = await openStore('mysql')` ... `await store.close()`.
 * Every store is its own database (a temp SQLite file, or a new database on the
 * test MySQL server), so test files running in parallel never share rows.
 */

export type StoreEngine = 'sqlite' | 'mysql';

export interface TestStore {
  readonly engine: StoreEngine;
  /** DATABASE_URL of this store, for tests that build the app on it. */
  readonly databaseUrl: string;
  readonly knex: Knex;
  readonly repository: KnexChatRepository;
  /** Empties every table but knex's own, keeping the schema. */
  truncate(): Promise<void>;
  /** Closes the connections and removes the database. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Apply the migrations (default true); false leaves an empty database. */
  readonly migrate?: boolean;
}

/** The MySQL server the global setup provided, or null when MySQL suites are skipped. */
export function mysqlServerUrl(): string | null {
  return inject('mysqlUrl');
}

/** The engines to run store-backed suites on: SQLite always, MySQL when a server is available. */
export function storeEngines(): StoreEngine[] {
  return mysqlServerUrl() === null ? ['sqlite'] : ['sqlite', 'mysql'];
}

/** Opens a new, migrated database on `engine` with a repository over it. Call `close()` when done. */
export async function openStore(engine: StoreEngine, options: OpenStoreOptions = {}): Promise<TestStore> {
  const database = engine === 'sqlite' ? createSqliteDatabase() : await createMysqlDatabase();
  const knex = createKnex(database.url);
  try {
    if (options.migrate ?? true) await migrateToLatest(knex);
  } catch (error) {
    await knex.destroy();
    await database.drop();
    throw error;
  }
  const repository = await KnexChatRepository.create({ knex });
  return {
    engine,
    databaseUrl: database.url,
    knex,
    repository,
    truncate: () => truncateAll(knex),
    close: async () => {
      await knex.destroy();
      await database.drop();
    },
  };
}

/**
 * Registers the hooks of a suite that uses one store: opened before all tests,
 * emptied before each, closed after all. Returns the open store.
 */
export function useStore(engine: StoreEngine, options: OpenStoreOptions = {}): () => TestStore {
  let store: TestStore | undefined;
  beforeAll(async () => {
    store = await openStore(engine, options);
  });
  beforeEach(async () => {
    if (options.migrate ?? true) await store?.truncate();
  });
  afterAll(async () => {
    await store?.close();
  });
  return () => {
    if (store === undefined) throw new Error('The store opens in beforeAll: use it inside tests and hooks');
    return store;
  };
}

interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'chatservice-sqlite-'));
  return {
    url: join(dir, 'chatservice.db'),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createMysqlDatabase(): Promise<TestDatabase> {
  const serverUrl = mysqlServerUrl();
  if (serverUrl === null) {
    throw new Error('No MySQL server for tests: set MYSQL_URL or install MariaDB (see test/support/global-setup.ts)');
  }
  const name = `chatservice_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.raw('CREATE DATABASE ??', [name]));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, (admin) => admin.raw('DROP DATABASE IF EXISTS ??', [name])),
  };
}

async function onServer(serverUrl: string, run: (admin: Knex) => Promise<unknown>): Promise<void> {
  const admin = createKnex(serverUrl);
  try {
    await run(admin);
  } finally {
    await admin.destroy();
  }
}

async function truncateAll(knex: Knex): Promise<void> {
  const mysql = knex.client.dialect === 'mysql';
  const tables: { name: string }[] = mysql
    ? await knex.raw('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()').then(
        ([rows]: [{ name: string }[]]) => rows,
      )
    : // Plain tables only: a full-text index (virtual table, its shadow tables) follows its content table's triggers.
      await knex.select('name').from(knex.raw('pragma_table_list')).where({ type: 'table', schema: 'main' }).whereNot('name', 'like', 'sqlite_%');
  const userTables = tables.map((t) => t.name).filter((name) => !name.startsWith('knex_migrations'));
  // One transaction with foreign keys checked at the end (or not at all), so table order does not matter.
  await knex.transaction(async (trx) => {
    await trx.raw(mysql ? 'SET FOREIGN_KEY_CHECKS = 0' : 'PRAGMA defer_foreign_keys = ON');
    try {
      for (const table of userTables) await trx(table).delete();
    } finally {
      if (mysql) await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
    }
  });
}
