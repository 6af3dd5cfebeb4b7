import type { Knex } from 'knex';

/**
 * Statements of the hot path as fixed SQL text, run through knex's raw
 * interface: knex's query builder costs tens of microseconds to compile each
 * query, every time, and a fixed text is what the SQLite connection's
 * prepared-statement cache (create-knex.ts) and MySQL's parser like best.
 * Identifiers are quoted with backticks, which both engines accept.
 */
export class FixedSql {
  private readonly mysql: boolean;

  constructor(knex: Knex) {
    this.mysql = knex.client.dialect === 'mysql';
  }

  /** The rows a SELECT returned. */
  async rows<T>(db: Knex | Knex.Transaction, sql: string, bindings: readonly Knex.Value[]): Promise<T[]> {
    const result: unknown = await db.raw(sql, bindings as Knex.Value[]);
    // mysql2 answers [rows, fields]; better-sqlite3 answers the rows.
    return (this.mysql ? (result as [T[], unknown])[0] : result) as T[];
  }

  /** How many rows an UPDATE or DELETE changed. */
  async changes(db: Knex | Knex.Transaction, sql: string, bindings: readonly Knex.Value[]): Promise<number> {
    const result: unknown = await db.raw(sql, bindings as Knex.Value[]);
    // mysql2 answers [ResultSetHeader, undefined]; better-sqlite3 answers { changes, lastInsertRowid }.
    return this.mysql ? (result as [{ affectedRows: number }])[0].affectedRows : (result as { changes: number }).changes;
  }
}
