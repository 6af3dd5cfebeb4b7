import type { Knex } from 'knex';
import { EMPTY_COUNTERS, type BudgetCounters } from '../../domain/budget.js';
import type { Budgets, Clock } from '../../use-cases/ports.js';
import { BUDGETS_TABLE, countersOf, emptyBudgetRow, type BudgetRow } from './usage-rows.js';

const FIND_SQL = `SELECT * FROM ${BUDGETS_TABLE} WHERE user_id = ?`;

/** The users' budget rows (usage_budgets), on SQLite or MySQL. */
export class KnexBudgets implements Budgets {
  constructor(
    private readonly knex: Knex,
    private readonly clock: Clock,
  ) {}

  /**
   * On every turn a limit applies to: plain SQL, not built per call. A
   * missing row is created here, outside any turn's transaction: creating
   * it inside one would take a lock that two first turns of a user could
   * deadlock on (MySQL).
   */
  async countersOf(userId: string): Promise<BudgetCounters> {
    const row = await this.find(userId);
    if (row !== undefined) return countersOf(row);
    await this.knex(BUDGETS_TABLE).insert(emptyBudgetRow(userId, this.clock.now())).onConflict('user_id').ignore();
    return EMPTY_COUNTERS;
  }

  async peek(userId: string): Promise<BudgetCounters> {
    const row = await this.find(userId);
    return row === undefined ? EMPTY_COUNTERS : countersOf(row);
  }

  private async find(userId: string): Promise<BudgetRow | undefined> {
    const result: unknown = await this.knex.raw(FIND_SQL, [userId]);
    // better-sqlite3 answers the rows, mysql2 [rows, fields].
    return ((this.knex.client.dialect === 'mysql' ? (result as [BudgetRow[]])[0] : result) as BudgetRow[])[0];
  }
}
