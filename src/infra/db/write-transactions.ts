import type { Knex } from 'knex';
import { runsOnConnection, type ConnectionPool } from './fixed-sql.js';

/** Writes that run in a transaction: what it resolves to once they are committed. */
export type WriteUnit<T> = (trx: Knex.Transaction) => Promise<T>;

/**
 * How the repository commits the writes of the hot path (a turn, a reply's
 * ending, a checkpoint). A promise from either method settles only after its
 * writes are committed, or failed and rolled back.
 */
export interface WriteTransactions {
  /** Runs `unit` atomically: all of its writes are committed, or none. */
  transaction<T>(unit: WriteUnit<T>): Promise<T>;
  /** Runs a single write statement (atomic by itself). */
  statement<T>(write: (db: Knex) => Promise<T>): Promise<T>;
}

/**
 * One transaction per unit, a statement on its own: for MySQL, whose
 * connections write in parallel and whose server already groups the log
 * flushes of concurrent commits.
 */
export function transactionEach(knex: Knex): WriteTransactions {
  return {
    transaction: (unit) => knex.transaction(unit),
    statement: (write) => write(knex),
  };
}

/** How many units one group may hold: bounds how long a group keeps the connection. */
export const MAX_GROUP_UNITS = 64;

interface QueuedUnit {
  readonly unit: WriteUnit<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit, for SQLite: the units submitted while the connection is busy
 * or within one turn of the event loop run one after another in one
 * transaction. SQLite has a single writer anyway, so grouping costs no
 * concurrency; what it saves is a COMMIT per unit (the WAL frames of the
 * pages every turn touches — the messages table, its indexes, the usage
 * tables and a new full-text segment — are written once per group instead of
 * once per unit) and knex's per-transaction setup.
 *
 * Each unit's outcome is its own. When one throws, the group is rolled back
 * and that unit rejects with its error; the units before it run again as a
 * group of their own (they had succeeded, and nothing of them was kept), and
 * those after it go back to the front of the queue. Savepoints would spare
 * that re-run, but they cost every unit two more statements, and FTS5 writes
 * its pending terms out as a new segment at each one. Failures are rare (a
 * race on one chat, a budget at its edge) and units are only SQL, so running
 * a few twice is the cheaper trade. Every unit settles after its group's
 * COMMIT; if the group cannot commit, none of its writes are stored and each
 * of its units rejects with that error.
 */
export class GroupCommit implements WriteTransactions {
  private readonly queue: QueuedUnit[] = [];
  private busy = false;

  constructor(
    private readonly knex: Knex,
    private readonly maxUnits = MAX_GROUP_UNITS,
  ) {}

  transaction<T>(unit: WriteUnit<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ unit, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  statement<T>(write: (db: Knex) => Promise<T>): Promise<T> {
    return this.transaction(write);
  }

  /**
   * A group starts on the next turn of the event loop, so the units that
   * arrive in this one join it; while a group runs, new units wait for the
   * next one.
   */
  private schedule(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(() => void this.runGroup());
  }

  private async runGroup(): Promise<void> {
    try {
      await this.commit(this.queue.splice(0, this.maxUnits));
    } finally {
      this.busy = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async commit(group: readonly QueuedUnit[]): Promise<void> {
    if (group.length === 0) return;
    const values: unknown[] = [];
    let failed: { readonly index: number; readonly error: unknown } | undefined;
    try {
      await this.inTransaction(async (trx) => {
        for (const [index, queued] of group.entries()) {
          try {
            values.push(await queued.unit(trx));
          } catch (error) {
            failed = { index, error };
            throw error;
          }
        }
      });
    } catch (error) {
      if (failed === undefined) {
        for (const queued of group) queued.reject(error);
        return;
      }
      group[failed.index]!.reject(failed.error);
      this.queue.unshift(...group.slice(failed.index + 1));
      await this.commit(group.slice(0, failed.index));
      return;
    }
    group.forEach((queued, index) => queued.resolve(values[index]));
  }

  /**
   * knex.transaction on a connection held for the whole of it, so that the
   * units' fixed statements run on it directly (see fixed-sql.ts). A
   * transaction whose COMMIT failed is rolled back when the pool hands the
   * connection out next (create-knex.ts).
   */
  private async inTransaction(work: WriteUnit<void>): Promise<void> {
    const pool = this.knex.client as ConnectionPool;
    const connection = await pool.acquireConnection();
    try {
      await this.knex.transaction(
        (trx) => {
          runsOnConnection(trx, connection);
          return work(trx);
        },
        { connection },
      );
    } finally {
      pool.releaseConnection(connection);
    }
  }
}
