import type { LimitOverrides } from '../../../src/domain/user-limits.js';
import { overridesOf, userLimitsRowOf } from '../../../src/infra/db/usage-rows.js';
import type { UserLimitsStore } from '../../../src/use-cases/ports.js';
import type { MemoryTables } from './memory-tables.js';

/** Per-user limit overrides in memory (KnexUserLimits' behaviour): an empty set removes the user's row. */
export class InMemoryUserLimits implements UserLimitsStore {
  constructor(private readonly tables: MemoryTables) {}

  async find(userId: string): Promise<LimitOverrides> {
    return overridesOf(this.tables.userLimits.get(userId));
  }

  async save(userId: string, overrides: LimitOverrides, at: Date): Promise<void> {
    if (Object.keys(overrides).length === 0) this.tables.userLimits.delete(userId);
    else this.tables.userLimits.set(userId, userLimitsRowOf(userId, overrides, at));
  }
}
