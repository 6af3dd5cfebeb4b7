import { standingIn, type BudgetStanding } from '../domain/budget.js';
import { invalidInput } from '../domain/errors.js';
import { summarizeUsage, type UsageSummary } from '../domain/usage-summary.js';
import { monthStart, nextDayStart, nextMonthStart, usagePeriodsAt } from '../domain/usage-period.js';
import { effectiveLimits, type LimitOverrides, type LimitSettings } from '../domain/user-limits.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this use case needs. */
export type GetUsageDeps = Pick<CoreDeps, 'usage' | 'clock'>;

/** The longest range one usage query may add up. */
export const MAX_USAGE_RANGE_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface UsageRange {
  /** Default: the start of the current month (UTC). */
  readonly from?: Date | undefined;
  /** Exclusive. Default: now. */
  readonly to?: Date | undefined;
}

/** A user's tokens, cost and calls in [from, to), from the ledger, by model and by channel. */
export async function getUsage(deps: GetUsageDeps, userId: string, range: UsageRange = {}): Promise<UsageSummary> {
  const now = deps.clock.now();
  // One millisecond on: a reply that ended at this very instant is in.
  const to = range.to ?? new Date(now.getTime() + 1);
  const from = range.from ?? monthStart(now);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from.getTime() >= to.getTime()) {
    throw invalidInput('from must be before to');
  }
  if (to.getTime() - from.getTime() > MAX_USAGE_RANGE_DAYS * DAY_MS) {
    throw invalidInput(`from and to may be at most ${MAX_USAGE_RANGE_DAYS} days apart`);
  }
  return summarizeUsage(await deps.usage.ledger.groups(userId, from, to), from, to);
}

/** A user's limits as they apply now, and what is used and left of them. */
export interface LimitsStatus {
  readonly limits: LimitSettings;
  /** The user's own settings (absent: the default applies; 0: unlimited). */
  readonly overrides: LimitOverrides;
  /** Today's tokens and this month's cost, spent and held by replies in progress; replies running now. */
  readonly standing: BudgetStanding;
  readonly dayRenewsAt: Date;
  readonly monthRenewsAt: Date;
}

export async function getLimits(deps: GetUsageDeps, userId: string): Promise<LimitsStatus> {
  const now = deps.clock.now();
  const [overrides, counters] = await Promise.all([deps.usage.limits.find(userId), deps.usage.budgets.peek(userId)]);
  return {
    limits: effectiveLimits(deps.usage.defaults, overrides),
    overrides,
    standing: standingIn(counters, usagePeriodsAt(now)),
    dayRenewsAt: nextDayStart(now),
    monthRenewsAt: nextMonthStart(now),
  };
}
