import { DomainError } from './errors.js';
import { microsToUsd, type WorstCase } from './usage.js';
import { nextDayStart, nextMonthStart, type UsagePeriods } from './usage-period.js';
import type { LimitName, LimitSettings } from './user-limits.js';

/**
 * A user's running totals, as stored (one row per user): what the current
 * day and month have spent, what replies in progress hold (their worst
 * case, until they end), and how many of the user's replies are running.
 * A day or month that has passed reads as zero: counters roll over by
 * themselves when the next turn is admitted.
 */
export interface BudgetCounters {
  readonly dayKey: string;
  readonly daySpentTokens: number;
  readonly dayReservedTokens: number;
  readonly monthKey: string;
  readonly monthSpentMicros: number;
  readonly monthReservedMicros: number;
  readonly runningReplies: number;
}

export const EMPTY_COUNTERS: BudgetCounters = {
  dayKey: '',
  daySpentTokens: 0,
  dayReservedTokens: 0,
  monthKey: '',
  monthSpentMicros: 0,
  monthReservedMicros: 0,
  runningReplies: 0,
};

/** The counters as they stand in `periods`: a past day or month is zero. */
export interface BudgetStanding {
  readonly daySpentTokens: number;
  readonly dayReservedTokens: number;
  readonly monthSpentMicros: number;
  readonly monthReservedMicros: number;
  readonly runningReplies: number;
}

export function standingIn(counters: BudgetCounters, periods: UsagePeriods): BudgetStanding {
  const today = counters.dayKey === periods.day;
  const thisMonth = counters.monthKey === periods.month;
  return {
    daySpentTokens: today ? counters.daySpentTokens : 0,
    dayReservedTokens: today ? counters.dayReservedTokens : 0,
    monthSpentMicros: thisMonth ? counters.monthSpentMicros : 0,
    monthReservedMicros: thisMonth ? counters.monthReservedMicros : 0,
    runningReplies: counters.runningReplies,
  };
}

/**
 * What a turn holds from admission until its reply ends: its worst case in
 * the day and month it was admitted in (zero when no token or money budget
 * applied), and one of the user's reply slots when a concurrency limit
 * applied. Its reply's actual usage replaces it.
 */
export interface BudgetHold {
  readonly day: string;
  readonly month: string;
  readonly tokens: number;
  readonly micros: number;
  readonly holdsReplySlot: boolean;
}

/** How long a RATE_LIMITED caller over the concurrency limit is told to wait: replies usually end within seconds. */
export const CONCURRENCY_RETRY_MS = 1_000;

/** A refusal by one of the user's limits: RATE_LIMITED or QUOTA_EXCEEDED, saying which limit (for metrics). */
export class LimitExceeded extends DomainError {
  constructor(
    readonly limit: LimitName,
    code: 'RATE_LIMITED' | 'QUOTA_EXCEEDED',
    message: string,
    retryAfterMs: number,
  ) {
    super(code, message, { retryAfterMs });
  }
}

export interface Refusal {
  readonly limit: LimitName;
  readonly error: LimitExceeded;
}

/**
 * Why `want` cannot be admitted on top of `standing`, or undefined when it
 * fits. Spent budgets come first (QUOTA_EXCEEDED, retry when the period
 * renews), then the number of running replies (RATE_LIMITED).
 */
export function refusalOf(
  standing: BudgetStanding,
  limits: LimitSettings,
  want: WorstCase & { readonly replySlot: boolean },
  at: Date,
): Refusal | undefined {
  const { dailyTokens, monthlyBudgetMicros, concurrentReplies } = limits;
  if (dailyTokens !== null && standing.daySpentTokens + standing.dayReservedTokens + want.tokens > dailyTokens) {
    const renews = nextDayStart(at);
    const message =
      want.tokens > dailyTokens
        ? `This message may need up to ${want.tokens} tokens (prompt and reply budget), more than the daily limit of ${dailyTokens}; ` +
          'start a new chat or lower maxTokens'
        : `The daily limit of ${dailyTokens} tokens is used up; it renews at ${renews.toISOString()}`;
    return quota('daily_tokens', message, renews.getTime() - at.getTime());
  }
  if (monthlyBudgetMicros !== null && standing.monthSpentMicros + standing.monthReservedMicros + want.micros > monthlyBudgetMicros) {
    const renews = nextMonthStart(at);
    const budget = usd(monthlyBudgetMicros);
    const message =
      want.micros > monthlyBudgetMicros
        ? `This message may cost up to ${usd(want.micros)}, more than the monthly budget of ${budget}; start a new chat or lower maxTokens`
        : `The monthly budget of ${budget} is used up; it renews at ${renews.toISOString()}`;
    return quota('monthly_budget', message, renews.getTime() - at.getTime());
  }
  if (want.replySlot && concurrentReplies !== null && standing.runningReplies + 1 > concurrentReplies) {
    const message = `At most ${concurrentReplies} ${concurrentReplies === 1 ? 'reply' : 'replies'} at a time; wait for one to end`;
    return { limit: 'concurrent_replies', error: new LimitExceeded('concurrent_replies', 'RATE_LIMITED', message, CONCURRENCY_RETRY_MS) };
  }
  return undefined;
}

const quota = (limit: LimitName, message: string, retryAfterMs: number): Refusal => ({
  limit,
  error: new LimitExceeded(limit, 'QUOTA_EXCEEDED', message, retryAfterMs),
});

const usd = (micros: number): string => `$${microsToUsd(micros).toFixed(micros % 10_000 === 0 ? 2 : 6)}`;
