import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRICES } from '../../src/domain/prices.js';
import { messageTokens, promptTokens } from '../../src/domain/token-rules.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import { WHATSAPP_TEXTS } from '../../src/channels/whatsapp/texts/whatsapp-texts.js';
import { storeEngines } from '../support/stores.js';
import { useWhatsAppApp } from '../whatsapp/whatsapp-test-app.js';
import { budgetRow, countRows, ledgerRows, messagesOf, sendOverGraphQL, sendOverGrpc } from './usage-test-kit.js';

/*
 * 20 concurrent messages of one user whose monthly budget covers about 3
 * worst-case turns: the budget is held by reservation, atomically, so at
 * most 3 are let in whatever the race, and the rest are refused with
 * QUOTA_EXCEEDED before anything is stored or sent upstream.
 */

const CONTENT = 'How much does this cost?';
const REPLY_BUDGET = 1_000;
const MINI = BUILT_IN_PRICES['gpt-4o-mini']!;
const count = (text: string) => new TiktokenCounter().count(text, 'o200k_base');
const PROMPT = promptTokens([
  messageTokens({ role: 'SYSTEM', content: 'You are a helpful assistant.' }, count),
  messageTokens({ role: 'USER', content: CONTENT }, count),
]);
/** One turn's worst case: its exact prompt and the whole reply budget, in micro-dollars. */
const WORST = Math.ceil(PROMPT * MINI.inputPerMTok + REPLY_BUDGET * MINI.outputPerMTok);
/** Room for three worst cases and half of a fourth. */
const BUDGET_MICROS = 3 * WORST + Math.floor(WORST / 2);
const SENDS = 20;
/** Long enough that every send arrives while the first ones still hold their worst case. */
const UPSTREAM_DELAY_MS = 2_000;

describe.each(storeEngines())('budgets under concurrency on %s', (engine) => {
  const t = useWhatsAppApp(engine, {
    env: { MAX_TOKENS: String(REPLY_BUDGET), USER_MONTHLY_BUDGET_USD: (BUDGET_MICROS / 1e6).toFixed(6) },
  });

  async function expectOnlyAdmittedStored(userId: string, admitted: number) {
    expect(await countRows(t(), 'chats', { user_id: userId })).toBe(admitted);
    // System prompt, message and reply of each admitted turn; nothing of the refused ones.
    expect(await messagesOf(t(), userId)).toBe(3 * admitted);
    const rows = await ledgerRows(t(), userId);
    expect(rows).toHaveLength(admitted);
    const budget = await budgetRow(t(), userId);
    expect(budget).toMatchObject({ monthReservedMicros: 0, runningReplies: 0 });
    expect(budget!.monthSpentMicros).toBe(rows.reduce((sum, row) => sum + row.cost_micros, 0));
    expect(budget!.monthSpentMicros).toBeLessThanOrEqual(BUDGET_MICROS);
  }

  it('over GraphQL: 3 of 20 are answered, 17 refused with QUOTA_EXCEEDED and a retry time', async () => {
    t().openai!.replyAlways({ firstChunkDelayMs: UPSTREAM_DELAY_MS });
    const results = await Promise.all(Array.from({ length: SENDS }, () => sendOverGraphQL(t(), 'gina', CONTENT)));

    const answered = results.filter((r) => r.reply?.status === 'COMPLETE');
    const refused = results.filter((r) => r.code === 'QUOTA_EXCEEDED');
    expect(answered).toHaveLength(3);
    expect(refused).toHaveLength(SENDS - 3);
    for (const r of refused) expect(r.retryAfterSeconds).toBeGreaterThan(0);
    expect(t().openai!.requests).toHaveLength(3);
    await expectOnlyAdmittedStored('gina', 3);
  });

  it('over gRPC: 3 of 20 are answered, 17 refused with RESOURCE_EXHAUSTED / QUOTA_EXCEEDED and retry-after', async () => {
    t().openai!.replyAlways({ firstChunkDelayMs: UPSTREAM_DELAY_MS });
    const results = await Promise.all(Array.from({ length: SENDS }, () => sendOverGrpc(t(), 'hank', CONTENT)));

    const answered = results.filter((r) => r.error === undefined);
    const refused = results.filter((r) => r.code === 'QUOTA_EXCEEDED');
    expect(answered).toHaveLength(3);
    expect(refused).toHaveLength(SENDS - 3);
    for (const r of refused) {
      expect(r.error!.code).toBe(8); // RESOURCE_EXHAUSTED
      expect(r.messages).toEqual([]);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    await expectOnlyAdmittedStored('hank', 3);
  });

  it('across GraphQL, gRPC and the WhatsApp webhook: with the budget held, all 20 are refused; WhatsApp says so in words', async () => {
    const userId = 'whatsapp:+15551234567';
    t().openai!.replyAlways({ firstChunkDelayMs: UPSTREAM_DELAY_MS });
    // Three turns hold the budget...
    const holding = Promise.all(Array.from({ length: 3 }, () => sendOverGraphQL(t(), userId, CONTENT)));
    await t().openai!.waitForRequest(2);
    // ...while 20 more arrive on every channel at once.
    const [graphql, grpc, webhooks] = await Promise.all([
      Promise.all(Array.from({ length: 7 }, () => sendOverGraphQL(t(), userId, CONTENT))),
      Promise.all(Array.from({ length: 7 }, () => sendOverGrpc(t(), userId, CONTENT))),
      Promise.all(Array.from({ length: 6 }, (_, i) => t().say(`${CONTENT} (${i})`))),
    ]);
    expect(graphql.map((r) => r.code)).toEqual(Array(7).fill('QUOTA_EXCEEDED'));
    expect(grpc.map((r) => r.code)).toEqual(Array(7).fill('QUOTA_EXCEEDED'));
    expect(webhooks.map((r) => r.status)).toEqual(Array(6).fill(200));
    const answers = await t().twilio.waitForMessages(6);
    expect(answers.map((m) => m.body)).toEqual(Array(6).fill(WHATSAPP_TEXTS.quotaExceeded));

    expect((await holding).map((r) => r.reply?.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(t().openai!.requests).toHaveLength(3);
    await expectOnlyAdmittedStored(userId, 3);
  });
});
