import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const load = (env: Record<string, string>) => loadConfig({ DATABASE_URL: ':memory:', ...env });

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('usage configuration', () => {
  it('has no limits by default, and reads 0 as unlimited', () => {
    expect(load({}).usage.defaults).toEqual({ requestsPerMinute: null, dailyTokens: null, monthlyBudgetMicros: null, concurrentReplies: null });
    expect(load({ USER_DAILY_TOKENS: '0', USER_MONTHLY_BUDGET_USD: '0' }).usage.defaults.dailyTokens).toBeNull();
  });

  it('reads every limit, and dollars exactly as micro-dollars', () => {
    const config = load({
      USER_REQUESTS_PER_MINUTE: '20',
      USER_DAILY_TOKENS: '200000',
      USER_MONTHLY_BUDGET_USD: '12.345678',
      USER_CONCURRENT_REPLIES: '2',
      MODEL_PRICES_FILE: './prices.json',
      METRICS_TOKEN: 'scrape-token-0123456789',
    });
    expect(config.usage).toEqual({
      defaults: { requestsPerMinute: 20, dailyTokens: 200_000, monthlyBudgetMicros: 12_345_678, concurrentReplies: 2 },
      pricesFile: './prices.json',
      metricsToken: 'scrape-token-0123456789',
    });
    expect(load({ USER_MONTHLY_BUDGET_USD: '0.1' }).usage.defaults.monthlyBudgetMicros).toBe(100_000);
  });

  it.each([
    ['USER_REQUESTS_PER_MINUTE', '-1'],
    ['USER_DAILY_TOKENS', '1.5'],
    ['USER_DAILY_TOKENS', 'lots'],
    ['USER_MONTHLY_BUDGET_USD', '5.1234567'],
    ['USER_MONTHLY_BUDGET_USD', '-5'],
    ['USER_MONTHLY_BUDGET_USD', '$5'],
    ['USER_CONCURRENT_REPLIES', '100001'],
    ['METRICS_TOKEN', 'short'],
  ])('refuses %s=%s, naming the key', (key, value) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${key}: `));
  });
});
