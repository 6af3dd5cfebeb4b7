import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTERS, refusalOf, standingIn, type BudgetCounters } from './budget.js';
import { UNLIMITED } from './user-limits.js';

const at = new Date('2026-11-28T10:00:00Z');
const periods = { day: '2026-11-28', month: '2026-11' };
const counters: BudgetCounters = {
  dayKey: '2026-11-28',
  daySpentTokens: 700,
  dayReservedTokens: 200,
  monthKey: '2026-11',
  monthSpentMicros: 4_000_000,
  monthReservedMicros: 500_000,
  runningReplies: 2,
};

describe('budget standing', () => {
  it('reads a day or month that has passed as zero', () => {
    expect(standingIn(counters, { day: '2026-11-29', month: '2026-11' })).toMatchObject({ daySpentTokens: 0, dayReservedTokens: 0, monthSpentMicros: 4_000_000 });
    expect(standingIn(counters, { day: '2026-12-01', month: '2026-12' })).toMatchObject({ monthSpentMicros: 0, monthReservedMicros: 0, runningReplies: 2 });
    expect(standingIn(EMPTY_COUNTERS, periods).daySpentTokens).toBe(0);
  });
});

describe('refusalOf', () => {
  const standing = standingIn(counters, periods);
  const want = { tokens: 100, micros: 500_000, replySlot: true };

  it('admits what fits every limit, held amounts included', () => {
    expect(refusalOf(standing, { ...UNLIMITED, dailyTokens: 1_000, monthlyBudgetMicros: 5_000_000, concurrentReplies: 3 }, want, at)).toBeUndefined();
  });

  it('refuses the day\'s tokens with QUOTA_EXCEEDED, retry at UTC midnight', () => {
    const refusal = refusalOf(standing, { ...UNLIMITED, dailyTokens: 999 }, want, at)!;
    expect(refusal.limit).toBe('daily_tokens');
    expect(refusal.error.code).toBe('QUOTA_EXCEEDED');
    expect(refusal.error.retryAfterMs).toBe(Date.parse('2026-11-29T00:00:00Z') - at.getTime());
  });

  it('refuses the month\'s budget with QUOTA_EXCEEDED, retry on the 1st', () => {
    const refusal = refusalOf(standing, { ...UNLIMITED, monthlyBudgetMicros: 4_999_999 }, want, at)!;
    expect(refusal.limit).toBe('monthly_budget');
    expect(refusal.error.message).toMatch(/\$4\.999999/);
    expect(refusal.error.retryAfterMs).toBe(Date.parse('2026-12-01T00:00:00Z') - at.getTime());
  });

  it('says so when one message alone is more than the whole limit', () => {
    expect(refusalOf(standingIn(EMPTY_COUNTERS, periods), { ...UNLIMITED, dailyTokens: 50 }, want, at)!.error.message).toMatch(/more than the daily limit/);
  });

  it('refuses a reply over the concurrency limit with RATE_LIMITED', () => {
    const refusal = refusalOf(standing, { ...UNLIMITED, concurrentReplies: 2 }, want, at)!;
    expect(refusal.limit).toBe('concurrent_replies');
    expect(refusal.error.code).toBe('RATE_LIMITED');
    expect(refusal.error.retryAfterMs).toBeGreaterThan(0);
  });
});
