import { EMPTY_COUNTERS, type BudgetCounters } from '../../../src/domain/budget.js';
import { countersOf, emptyBudgetRow } from '../../../src/infra/db/usage-rows.js';
import type { Budgets, Clock } from '../../../src/use-cases/ports.js';
import type { MemoryTables } from './memory-tables.js';

/** The users' budget rows in memory (KnexBudgets' behaviour): the rows turns hold claims in and replies settle into. */
export class InMemoryBudgets implements Budgets {
  constructor(
    private readonly tables: MemoryTables,
    private readonly clock: Clock,
  ) {}

  /** Creates the user's row (zeros) the first time, as admission needs it to hold budget in. */
  async countersOf(userId: string): Promise<BudgetCounters> {
    const row = this.tables.budgets.get(userId);
    if (row !== undefined) return countersOf(row);
    this.tables.budgets.set(userId, emptyBudgetRow(userId, this.clock.now()));
    return EMPTY_COUNTERS;
  }

  async peek(userId: string): Promise<BudgetCounters> {
    const row = this.tables.budgets.get(userId);
    return row === undefined ? EMPTY_COUNTERS : countersOf(row);
  }
}
