import type { Knex } from 'knex';
import type { LimitOverrides } from '../../domain/user-limits.js';
import type { UserLimitsStore } from '../../use-cases/ports.js';
import { USER_LIMITS_TABLE, overridesOf, userLimitsRowOf, type UserLimitsRow } from './usage-rows.js';

const FIND_SQL = `SELECT * FROM ${USER_LIMITS_TABLE} WHERE user_id = ?`;

/** Per-user limit overrides (user_limits), on SQLite or MySQL. */
export class KnexUserLimits implements UserLimitsStore {
  constructor(private readonly knex: Knex) {}

  /** On every turn: plain SQL, not built per call. */
  async find(userId: string): Promise<LimitOverrides> {
    const result: unknown = await this.knex.raw(FIND_SQL, [userId]);
    // better-sqlite3 answers the rows, mysql2 [rows, fields].
    const rows = (this.knex.client.dialect === 'mysql' ? (result as [UserLimitsRow[]])[0] : result) as UserLimitsRow[];
    return overridesOf(rows[0]);
  }

  async save(userId: string, overrides: LimitOverrides, at: Date): Promise<void> {
    if (Object.keys(overrides).length === 0) {
      await this.knex(USER_LIMITS_TABLE).where('user_id', userId).delete();
      return;
    }
    await this.knex(USER_LIMITS_TABLE).insert(userLimitsRowOf(userId, overrides, at)).onConflict('user_id').merge();
  }
}
