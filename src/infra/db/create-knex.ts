import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knex, { type Knex } from 'knex';

const MYSQL_PROTOCOLS = new Set(['mysql:', 'mysql2:']);

/**
 * `mysql://user:pass@host:port/db` opens MySQL (or MariaDB) through mysql2;
 * anything else is the path of a SQLite file, created with its directory.
 */
export function createKnex(databaseUrl: string, options: { timeoutMs?: number } = {}): Knex {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  return isMysqlUrl(databaseUrl) ? knex(mysqlConfig(databaseUrl, timeoutMs)) : knex(sqliteConfig(databaseUrl));
}

/** How long a connection attempt (or a wait for a pooled one) may take before the store counts as unavailable. */
export const DEFAULT_STORE_TIMEOUT_MS = 2_000;

export function isMysqlUrl(databaseUrl: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(databaseUrl)?.[1];
  return scheme !== undefined && MYSQL_PROTOCOLS.has(scheme.toLowerCase());
}

function mysqlConfig(databaseUrl: string, timeoutMs: number): Knex.Config {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database.length === 0) throw new Error('The MySQL database URL must name a database: mysql://user:pass@host:port/db');
  return {
    client: 'mysql2',
    connection: {
      host: decodeURIComponent(url.hostname),
      port: url.port === '' ? 3306 : Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database,
      // utf8mb4 on the connection too, or 4-byte characters are mangled before they reach the utf8mb4 columns.
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      connectTimeout: timeoutMs,
      typeCast: idsAsStrings,
    },
    pool: { min: 0, max: 10 },
    // A frozen or unreachable server fails requests fast (UNAVAILABLE) instead of queueing them.
    acquireConnectionTimeout: timeoutMs,
  };
}

interface MysqlField {
  readonly type: string;
  string(encoding?: string): string | null;
}

/**
 * Id columns are VARBINARY (byte-exact, no padding: see the exact_ids
 * migration), which mysql2 would return as Buffers; they hold UTF-8 text.
 * VARCHAR columns come back as before; TEXT and BLOB columns are untouched.
 */
function idsAsStrings(field: MysqlField, next: () => unknown): unknown {
  return field.type === 'VAR_STRING' || field.type === 'STRING' ? field.string('utf8') : next();
}

interface SqliteConnection {
  readonly inTransaction: boolean;
  pragma(source: string): unknown;
  prepare(sql: string): unknown;
  exec(sql: string): unknown;
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * knex prepares every statement anew, which costs more than running it. The
 * statements of the hot path are few and always the same SQL, so the
 * connection keeps the most recent ones (a statement is reusable, and SQLite
 * re-prepares it by itself if a migration changes the schema).
 */
function cachePreparedStatements(connection: SqliteConnection): void {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, unknown>();
  connection.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return statement;
  };
}

function sqliteConfig(path: string): Knex.Config {
  const inMemory = path === ':memory:';
  const filename = inMemory ? path : resolve(path);
  if (!inMemory) mkdirSync(dirname(filename), { recursive: true });
  return {
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // better-sqlite3 is synchronous: one connection serves the process, and
    // serializes its transactions.
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: SqliteConnection) => void) {
        try {
          connection.pragma('journal_mode = WAL');
          connection.pragma('synchronous = NORMAL');
          // Off by default in SQLite; ON DELETE CASCADE depends on it.
          connection.pragma('foreign_keys = ON');
          // Another process (a migration run, a CLI) may hold the write lock briefly.
          connection.pragma('busy_timeout = 5000');
          cachePreparedStatements(connection);
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
      validate: closeLeftoverTransaction,
    },
  };
}

/**
 * Runs before the pool hands the connection out. knex does not roll back a
 * transaction whose COMMIT failed (a full disk, an I/O error, a deferred
 * constraint), and SQLite keeps such a transaction open: the connection
 * would come back inside it, every later BEGIN would fail, and every write
 * would join a transaction that never commits. A connection in the pool is
 * in no transaction of ours, so an open one is such a leftover: it is
 * rolled back (its writes were reported as failed already).
 */
function closeLeftoverTransaction(connection: SqliteConnection): boolean {
  if (connection.inTransaction) connection.exec('ROLLBACK');
  return true;
}
