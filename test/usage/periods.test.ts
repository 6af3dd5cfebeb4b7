import { describe, expect, it } from 'vitest';
import { executeRaw } from '../graphql/graphql-clients.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import { budgetRow, sendOverGraphQL, TestClock } from './usage-test-kit.js';

/*
 * Days and months are UTC: the daily tokens renew at 00:00 UTC, the monthly
 * budget on the 1st at 00:00 UTC. The app runs on a clock the test moves.
 */

const clock = new TestClock('2026-11-28T12:00:00Z');
/** Every reply uses 100 prompt and 100 completion tokens: 200 tokens, 75 micro-dollars at gpt-4o-mini's prices. */
const USAGE = { prompt_tokens: 100, completion_tokens: 100 };

describe.each(storeEngines())('budget periods on %s', (engine) => {
  const t = useTestApp(engine, { env: { MAX_TOKENS: '100' }, overrides: { clock } });

  async function setLimits(userId: string, limits: Record<string, number>) {
    const mutation = 'mutation ($id: ID!, $limits: UserLimitsInput!) { setUserLimits(userId: $id, limits: $limits) { dailyTokens } }';
    const result = await executeRaw(t(), mutation, { id: userId, limits }, { userId: 'admin' });
    expect(result.errors).toBeUndefined();
  }

  it('renews the daily tokens at midnight UTC, not before', async () => {
    t().openai!.replyAlways({ text: 'Two hundred tokens.', usage: USAGE });
    await setLimits('jack', { dailyTokens: 500 });
    clock.set('2026-11-28T23:58:00Z');
    expect((await sendOverGraphQL(t(), 'jack', 'one')).reply?.status).toBe('COMPLETE');
    expect((await sendOverGraphQL(t(), 'jack', 'two')).reply?.status).toBe('COMPLETE');
    // 400 spent; a third message may take up to ~120 more: over 500.
    clock.set('2026-11-28T23:59:30Z');
    const refused = await sendOverGraphQL(t(), 'jack', 'three');
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.retryAfterSeconds).toBe(30);

    const limits = await executeRaw(t(), '{ limits { dailyTokens tokensToday tokensLeftToday dayRenewsAt } }', {}, { userId: 'jack' });
    expect(limits.data).toEqual({ limits: { dailyTokens: 500, tokensToday: 400, tokensLeftToday: 100, dayRenewsAt: '2026-11-29T00:00:00.000Z' } });

    clock.set('2026-11-29T00:00:01Z');
    expect((await sendOverGraphQL(t(), 'jack', 'three, tomorrow')).reply?.status).toBe('COMPLETE');
    expect(await budgetRow(t(), 'jack')).toMatchObject({ dayKey: '2026-11-29', daySpentTokens: 200, dayReservedTokens: 0 });
  });

  it('renews the monthly budget on the 1st at 00:00 UTC', async () => {
    t().openai!.replyAlways({ text: 'Seventy-five micro-dollars.', usage: USAGE });
    // 200 micro-dollars: two replies of 75, and no room for a third's worst case.
    await setLimits('kate', { monthlyBudgetUsd: 0.0002 });
    clock.set('2026-11-30T22:00:00Z');
    expect((await sendOverGraphQL(t(), 'kate', 'one')).reply?.status).toBe('COMPLETE');
    expect((await sendOverGraphQL(t(), 'kate', 'two')).reply?.status).toBe('COMPLETE');
    const refused = await sendOverGraphQL(t(), 'kate', 'three');
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.retryAfterSeconds).toBe(2 * 60 * 60);

    // A new day in the same month changes nothing for the budget.
    clock.set('2026-11-30T23:59:59Z');
    expect((await sendOverGraphQL(t(), 'kate', 'three')).code).toBe('QUOTA_EXCEEDED');

    clock.set('2026-12-01T00:00:00Z');
    expect((await sendOverGraphQL(t(), 'kate', 'three, next month')).reply?.status).toBe('COMPLETE');
    expect(await budgetRow(t(), 'kate')).toMatchObject({ monthKey: '2026-12', monthSpentMicros: 75, monthReservedMicros: 0 });
    const usage = await executeRaw(t(), '{ usage { totals { replies costUsd } } }', {}, { userId: 'kate' });
    // Query.usage defaults to the current month: December has one reply.
    expect(usage.data).toEqual({ usage: { totals: { replies: 1, costUsd: 0.000075 } } });
  });
});
