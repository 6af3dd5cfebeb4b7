import type { Knex } from 'knex';

/*
 * Statements of the hot path as fixed SQL text. knex's query builder costs
 * tens of microseconds to compile each query, every time, and its raw
 * interface still formats the bindings, wraps the call in a runner and
 * queues it on the pool: on SQLite that is more CPU than the statement
 * itself. So on SQLite a fixed statement goes straight to the driver, on the
 * connection knex's pool holds (a transaction's own connection when it runs
 * in one that GroupCommit holds, else the pool's connection for that one
 * statement), and through the prepared-statement cache (create-knex.ts). On
 * MySQL it goes through knex's raw interface. knex's 'query' event is
 * emitted either way, so whoever watches the statements sees them all.
 * Identifiers are quoted with backticks, which both engines accept.
 */

/** A better-sqlite3 connection, as knex's pool hands it out. */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

interface SqliteStatement {
  /** True for a statement that returns rows. */
  readonly reader: boolean;
  all(bindings: readonly unknown[]): unknown[];
  run(bindings: readonly unknown[]): { readonly changes: number };
}

/** knex's client for better-sqlite3: its pool of (one) connection, and its events. */
export interface ConnectionPool {
  readonly dialect: string;
  acquireConnection(): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection): unknown;
  emit(event: 'query', query: { readonly sql: string; readonly bindings: readonly Knex.Value[]; readonly method: 'raw' }): boolean;
}

/** SQLite transactions whose connection their runner holds throughout (see GroupCommit). */
const heldConnections = new WeakMap<Knex.Transaction, SqliteConnection>();

/** Declares that `trx` runs on `connection` until it ends: fixed statements in it go straight to that connection. */
export function runsOnConnection(trx: Knex.Transaction, connection: SqliteConnection): void {
  heldConnections.set(trx, connection);
}

/** The rows a SELECT returned. */
export async function fixedRows<T>(db: Knex | Knex.Transaction, sql: string, bindings: readonly Knex.Value[]): Promise<T[]> {
  const direct = await runDirect(db, sql, bindings);
  if (direct !== undefined) return direct as T[];
  const result: unknown = await db.raw(sql, bindings as Knex.Value[]);
  // mysql2 answers [rows, fields]; better-sqlite3 answers the rows.
  return (isMysql(db) ? (result as [T[], unknown])[0] : result) as T[];
}

/** How many rows an INSERT, UPDATE or DELETE changed. */
export async function fixedChanges(db: Knex | Knex.Transaction, sql: string, bindings: readonly Knex.Value[]): Promise<number> {
  const direct = await runDirect(db, sql, bindings);
  if (direct !== undefined) return (direct as { changes: number }).changes;
  const result: unknown = await db.raw(sql, bindings as Knex.Value[]);
  // mysql2 answers [ResultSetHeader, undefined]; better-sqlite3 answers { changes, lastInsertRowid }.
  return isMysql(db) ? (result as [{ affectedRows: number }])[0].affectedRows : (result as { changes: number }).changes;
}

const poolOf = (db: Knex | Knex.Transaction): ConnectionPool => db.client as ConnectionPool;
const isMysql = (db: Knex | Knex.Transaction): boolean => poolOf(db).dialect === 'mysql';

/**
 * Runs the statement on SQLite's connection itself; undefined when it must
 * go through knex: on MySQL, or in a transaction whose connection nobody
 * here holds (one of knex.transaction's own).
 */
async function runDirect(db: Knex | Knex.Transaction, sql: string, bindings: readonly Knex.Value[]): Promise<unknown> {
  const pool = poolOf(db);
  if (pool.dialect !== 'sqlite3') return undefined;
  const held = db.isTransaction === true ? heldConnections.get(db as Knex.Transaction) : undefined;
  if (held !== undefined) return execute(pool, held, sql, bindings);
  if (db.isTransaction === true) return undefined;
  const connection = await pool.acquireConnection();
  try {
    return execute(pool, connection, sql, bindings);
  } finally {
    pool.releaseConnection(connection);
  }
}

function execute(pool: ConnectionPool, connection: SqliteConnection, sql: string, bindings: readonly Knex.Value[]): unknown {
  pool.emit('query', { sql, bindings, method: 'raw' });
  const statement = connection.prepare(sql);
  const values = bindings.map(driverValue);
  return statement.reader ? statement.all(values) : statement.run(values);
}

/** What knex's better-sqlite3 client binds for a value: dates as epoch ms, booleans as 0/1. */
const driverValue = (value: Knex.Value): unknown => (value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value);
