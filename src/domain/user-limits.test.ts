import { describe, expect, it } from 'vitest';
import { applyOverridesPatch, effectiveLimits, limitDefaults, usdToMicros, validateOverridesPatch } from './user-limits.js';

describe('user limits', () => {
  const defaults = limitDefaults({ requestsPerMinute: 20, dailyTokens: 0, monthlyBudgetMicros: 5_000_000 });

  it('reads 0 or unset defaults as unlimited', () => {
    expect(defaults).toEqual({ requestsPerMinute: 20, dailyTokens: null, monthlyBudgetMicros: 5_000_000, concurrentReplies: null });
  });

  it('lets a user override a default, 0 meaning unlimited for them', () => {
    expect(effectiveLimits(defaults, { requestsPerMinute: 0, dailyTokens: 1_000 })).toEqual({
      requestsPerMinute: null,
      dailyTokens: 1_000,
      monthlyBudgetMicros: 5_000_000,
      concurrentReplies: null,
    });
  });

  it('patches overrides: absent stays, null goes back to the default, a number replaces', () => {
    const current = { requestsPerMinute: 5, dailyTokens: 1_000 };
    expect(applyOverridesPatch(current, { requestsPerMinute: null, concurrentReplies: 2 })).toEqual({ dailyTokens: 1_000, concurrentReplies: 2 });
  });

  it('refuses values that are not whole numbers in range, naming the setting', () => {
    expect(() => validateOverridesPatch({ dailyTokens: -1 })).toThrow(/dailyTokens/);
    expect(() => validateOverridesPatch({ concurrentReplies: 1.5 })).toThrow(/concurrentReplies/);
    expect(() => validateOverridesPatch({ monthlyBudgetMicros: 2e15 })).toThrow(/monthlyBudgetUsd/);
    expect(validateOverridesPatch({ dailyTokens: 0, requestsPerMinute: null })).toEqual({ dailyTokens: 0, requestsPerMinute: null });
  });

  it('reads dollars with up to 6 decimals as exact micro-dollars', () => {
    expect(usdToMicros(2.5)).toBe(2_500_000);
    expect(usdToMicros(0.000001)).toBe(1);
    expect(usdToMicros(0.1)).toBe(100_000);
    expect(() => usdToMicros(0.0000001)).toThrow(/6 decimals/);
    expect(() => usdToMicros(-1)).toThrow();
  });
});
