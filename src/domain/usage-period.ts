/**
 * The periods budgets are counted in. Days and months are calendar periods
 * in UTC, whatever the server's or the user's time zone: a daily token
 * budget renews at 00:00 UTC, a monthly money budget on the 1st at 00:00
 * UTC. One clock for every replica and user keeps the counters comparable
 * and the reset time easy to state.
 */
export interface UsagePeriods {
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  /** `YYYY-MM`, UTC. */
  readonly month: string;
}

export function usagePeriodsAt(at: Date): UsagePeriods {
  const iso = at.toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

/** When the day of `at` ends (UTC midnight): the daily budget renews then. */
export function nextDayStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** The first instant of the month of `at` (UTC). */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** When the month of `at` ends (the 1st of the next, 00:00 UTC): the monthly budget renews then. */
export function nextMonthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}
