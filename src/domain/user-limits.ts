import { invalidInput } from './errors.js';

/**
 * What one user may do, after defaults and their own overrides. Null means
 * unlimited. Requests are messages sent (turns), counted per minute across
 * every channel; tokens are prompt + completion tokens per UTC day; the
 * budget is micro-dollars per UTC calendar month (see usage-period.ts);
 * concurrent replies are the user's replies streaming at once, anywhere.
 */
export interface LimitSettings {
  readonly requestsPerMinute: number | null;
  readonly dailyTokens: number | null;
  readonly monthlyBudgetMicros: number | null;
  readonly concurrentReplies: number | null;
}

export const LIMIT_KEYS = ['requestsPerMinute', 'dailyTokens', 'monthlyBudgetMicros', 'concurrentReplies'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

/** The limit a refusal is about, as metrics label it. */
export type LimitName = 'requests_per_minute' | 'daily_tokens' | 'monthly_budget' | 'concurrent_replies';

export const UNLIMITED: LimitSettings = { requestsPerMinute: null, dailyTokens: null, monthlyBudgetMicros: null, concurrentReplies: null };

/**
 * A user's own settings, stored in `user_limits`: a key that is absent
 * follows the default; 0 means unlimited for this user, like 0 in the
 * configuration; any other value is the user's limit.
 */
export type LimitOverrides = { readonly [K in LimitKey]?: number };

/**
 * A change to a user's overrides: absent keys stay as they are, null goes
 * back to the default, a number (0 = unlimited) is the new override.
 */
export type LimitOverridesPatch = { readonly [K in LimitKey]?: number | null };

const zeroIsUnlimited = (value: number | null | undefined): number | null => (value === undefined || value === null || value === 0 ? null : value);

/** The configuration's defaults, where 0 (or unset) means unlimited. */
export function limitDefaults(config: { readonly [K in LimitKey]?: number | undefined }): LimitSettings {
  return {
    requestsPerMinute: zeroIsUnlimited(config.requestsPerMinute),
    dailyTokens: zeroIsUnlimited(config.dailyTokens),
    monthlyBudgetMicros: zeroIsUnlimited(config.monthlyBudgetMicros),
    concurrentReplies: zeroIsUnlimited(config.concurrentReplies),
  };
}

export function effectiveLimits(defaults: LimitSettings, overrides: LimitOverrides): LimitSettings {
  const pick = (key: LimitKey) => (overrides[key] === undefined ? defaults[key] : zeroIsUnlimited(overrides[key]));
  return {
    requestsPerMinute: pick('requestsPerMinute'),
    dailyTokens: pick('dailyTokens'),
    monthlyBudgetMicros: pick('monthlyBudgetMicros'),
    concurrentReplies: pick('concurrentReplies'),
  };
}

/** Largest value of each limit: beyond these a number is surely a mistake (and would not fit GraphQL's Int). */
export const LIMIT_MAXIMUMS: Readonly<Record<LimitKey, number>> = {
  requestsPerMinute: 100_000,
  dailyTokens: 2_147_483_647,
  // One billion dollars.
  monthlyBudgetMicros: 1_000_000_000 * 1_000_000,
  concurrentReplies: 10_000,
};

const LIMIT_LABELS: Readonly<Record<LimitKey, string>> = {
  requestsPerMinute: 'requestsPerMinute',
  dailyTokens: 'dailyTokens',
  monthlyBudgetMicros: 'monthlyBudgetUsd',
  concurrentReplies: 'concurrentReplies',
};

/** Refuses values that are not whole numbers within 0..maximum, naming the setting as callers know it. */
export function validateOverridesPatch(patch: LimitOverridesPatch): LimitOverridesPatch {
  for (const key of LIMIT_KEYS) {
    const value = patch[key];
    if (value === undefined || value === null) continue;
    if (!Number.isSafeInteger(value) || value < 0 || value > LIMIT_MAXIMUMS[key]) {
      const max = key === 'monthlyBudgetMicros' ? LIMIT_MAXIMUMS[key] / 1_000_000 : LIMIT_MAXIMUMS[key];
      throw invalidInput(`${LIMIT_LABELS[key]} must be a whole number from 0 (unlimited) to ${max}`);
    }
  }
  return patch;
}

export function applyOverridesPatch(current: LimitOverrides, patch: LimitOverridesPatch): LimitOverrides {
  const next: Partial<Record<LimitKey, number>> = {};
  for (const key of LIMIT_KEYS) {
    const value = patch[key] === undefined ? current[key] : patch[key];
    if (value !== null && value !== undefined) next[key] = value;
  }
  return next;
}

/** Dollars with at most six decimals (micro-dollars), as written in the configuration or an API: to micro-dollars. */
export function usdToMicros(usd: number): number {
  const micros = Math.round(usd * 1_000_000);
  if (!Number.isFinite(usd) || usd < 0 || Math.abs(micros - usd * 1_000_000) > 1e-6 * Math.max(1, micros)) {
    throw invalidInput('amounts in USD must be at least 0, with at most 6 decimals');
  }
  return micros;
}
