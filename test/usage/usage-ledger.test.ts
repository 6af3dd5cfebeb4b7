import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRICES } from '../../src/domain/prices.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import { executeRaw } from '../graphql/graphql-clients.js';
import { auth, unary, v1Client } from '../grpc/support/grpc-clients.js';
import { storeEngines } from '../support/stores.js';
import { startTestApp, useTestApp } from '../support/test-app.js';
import { longMessage, SUMMARY_ENV, upstream } from '../summaries/summary-test-kit.js';
import { KnexBudgets } from '../../src/infra/db/knex-budgets.js';
import { KnexChatRepository } from '../../src/infra/db/knex-chat-repository.js';
import { systemClock } from '../../src/infra/system.js';
import { turnWithClaim } from './turn-fixtures.js';
import { budgetRow, ledgerRows, sendOverGraphQL, sendOverGrpc } from './usage-test-kit.js';

const MINI = BUILT_IN_PRICES['gpt-4o-mini']!; // the default MODEL
const tokens = new TiktokenCounter();
const JWT_SECRET = 'a-test-secret-of-at-least-32-characters!';
const jwtFor = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));

/** Micro-dollars, rounded up as the ledger rounds: uncached prompt, cached prompt and completion tokens at gpt-4o-mini's prices. */
const miniCost = (prompt: number, cached: number, completion: number) =>
  Math.ceil((prompt - cached) * MINI.inputPerMTok + cached * MINI.cachedInputPerMTok + completion * MINI.outputPerMTok - 1e-9);

describe.each(storeEngines())('the usage ledger on %s', (engine) => {
  const t = useTestApp(engine, { env: { JWT_SECRET } });

  /** The prompt of a first message in a new chat, counted exactly (system prompt, the message, reply priming). */
  const firstPromptTokens = (content: string) =>
    t().app.core.countTokens({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'SYSTEM', content: 'You are a helpful assistant.' },
        { role: 'USER', content },
      ],
    });

  it('records a reply with the usage the upstream reported, and its cost in tokens × prices', async () => {
    t().openai!.reply({ text: 'Cached and reasoned.', usage: { prompt_tokens: 1_000, completion_tokens: 200, cached_tokens: 400, reasoning_tokens: 50 } });
    const sent = await sendOverGraphQL(t(), 'alice', 'Hello');
    expect(sent.reply?.status).toBe('COMPLETE');

    const [row, ...more] = await ledgerRows(t(), 'alice');
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      message_id: sent.reply!.id,
      kind: 'reply',
      chat_id: sent.chatId,
      channel: 'graphql',
      model: 'gpt-4o-mini',
      prompt_tokens: 1_000,
      cached_prompt_tokens: 400,
      completion_tokens: 200,
      reasoning_tokens: 50,
      estimated: false,
      // 600 × 0.15 + 400 × 0.075 + 200 × 0.6 micro-dollars.
      cost_micros: 240,
    });
    expect(row!.cost_micros).toBe(miniCost(1_000, 400, 200));
    expect(row!.price_version).toMatch(/^builtin-\d{4}-\d{2}-\d{2}$/);
    // The reply as GraphQL shows it carries the same figures.
    expect(sent.reply!.usage).toEqual({
      promptTokens: 1_000,
      completionTokens: 200,
      cachedPromptTokens: 400,
      reasoningTokens: 50,
      estimated: false,
      costUsd: 0.00024,
    });
    // Its hold is settled: what it spent is counted, nothing stays held.
    expect(await budgetRow(t(), 'alice')).toMatchObject({ daySpentTokens: 1_200, dayReservedTokens: 0, monthSpentMicros: 240, monthReservedMicros: 0, runningReplies: 0 });
  });

  it('records the upstream default usage exactly, per channel', async () => {
    t().openai!.reply({ text: 'One two three.' }, { text: 'Four five six.' });
    await sendOverGraphQL(t(), 'bob', 'Count for me');
    const grpc = await sendOverGrpc(t(), 'bob', 'Count again');
    expect(grpc.error).toBeUndefined();

    const rows = await ledgerRows(t(), 'bob');
    expect(rows.map((r) => r.channel)).toEqual(['graphql', 'grpc']);
    const prompts = await Promise.all([firstPromptTokens('Count for me'), firstPromptTokens('Count again')]);
    const completions = ['One two three.', 'Four five six.'].map((text) => tokens.count(text, 'o200k_base'));
    rows.forEach((row, i) => {
      expect(row).toMatchObject({ prompt_tokens: prompts[i], completion_tokens: completions[i], cached_prompt_tokens: 0, estimated: false });
      expect(row.cost_micros).toBe(miniCost(prompts[i]!, 0, completions[i]!));
    });
  });

  it('records an interrupted reply as estimated: the prompt as counted when sent, and the text delivered', async () => {
    t().openai!.reply({ deltas: ['Half', ' of', ' an', ' answer'], dropAfterDeltas: 2 });
    const sent = await sendOverGraphQL(t(), 'carol', 'Tell me everything');
    expect(sent.reply).toMatchObject({ status: 'INCOMPLETE', content: 'Half of' });

    const [row] = await ledgerRows(t(), 'carol');
    const prompt = await firstPromptTokens('Tell me everything');
    const completion = tokens.count('Half of', 'o200k_base');
    expect(row).toMatchObject({ estimated: true, prompt_tokens: prompt, completion_tokens: completion, cached_prompt_tokens: 0, reasoning_tokens: null });
    expect(row!.cost_micros).toBe(miniCost(prompt, 0, completion));
    expect(sent.reply!.usage).toMatchObject({ estimated: true, promptTokens: prompt, completionTokens: completion });
  });

  it('records a reply that failed before any text as costing nothing, and gives its hold back', async () => {
    t().openai!.reply({ error: { status: 500 } });
    const sent = await sendOverGraphQL(t(), 'dave', 'Anyone there?');
    expect(sent.reply?.status).toBe('FAILED');
    expect(await ledgerRows(t(), 'dave')).toMatchObject([{ estimated: true, prompt_tokens: 0, completion_tokens: 0, cost_micros: 0 }]);
    expect(await budgetRow(t(), 'dave')).toMatchObject({ dayReservedTokens: 0, monthReservedMicros: 0, runningReplies: 0 });
  });

  it('settles the claim of a reply whose producer died, from the text it had delivered (estimated)', async () => {
    // The process that stored the turn, as seen by the store: it never comes back.
    const chats = await KnexChatRepository.create({ knex: t().store.knex, configDefaults: { contextStrategy: 'TRUNCATE' } });
    const userId = 'abandoned-user';
    // A budget row first, as admitting a turn makes it: the claim's hold is an update of it.
    await new KnexBudgets(t().store.knex, systemClock).countersOf(userId);
    const { turn, claim, reply } = turnWithClaim(
      { tokens: 700, micros: 500, slot: true, limits: { concurrentReplies: 5, dailyTokens: 1_000_000, monthlyBudgetMicros: 1_000_000 } },
      true,
      userId,
    );
    await chats.recordTurn(turn);
    // The text its last checkpoint saved before the process went away.
    await t().store.knex('messages').where('id', reply.id).update({ content: 'Partial answer' });
    expect(await budgetRow(t(), userId)).toMatchObject({ dayReservedTokens: 700, monthReservedMicros: 500, runningReplies: 1 });

    // A process that starts on the store recovers the expired reply before it serves.
    const restarted = await startTestApp(engine, { store: t().store, openai: t().openai, env: { JWT_SECRET } });
    await restarted.stop();
    const completion = tokens.count('Partial answer', 'o200k_base');
    const [row] = await ledgerRows(t(), userId);
    expect(row).toMatchObject({ message_id: reply.id, estimated: true, prompt_tokens: claim.promptTokens, completion_tokens: completion, channel: 'graphql' });
    expect(row!.cost_micros).toBe(miniCost(claim.promptTokens, 0, completion));
    expect(await budgetRow(t(), userId)).toMatchObject({
      dayReservedTokens: 0,
      monthReservedMicros: 0,
      runningReplies: 0,
      daySpentTokens: claim.promptTokens + completion,
      monthSpentMicros: row!.cost_micros,
    });
  });

  it('adds the ledger up by model and channel (GraphQL usage, gRPC GetUsage) and shows the limits', async () => {
    t().openai!.replyAlways({ text: 'Fine.', usage: { prompt_tokens: 100, completion_tokens: 10 } });
    await sendOverGraphQL(t(), 'erin', 'one');
    await sendOverGraphQL(t(), 'erin', 'two');
    await sendOverGrpc(t(), 'erin', 'three');
    await sendOverGraphQL(t(), 'someone-else', 'not erin');

    const result = await executeRaw(
      t(),
      `{ usage { totals { promptTokens completionTokens totalTokens costUsd replies summaries estimatedCalls }
                 byModel { model usage { replies } } byChannel { channel usage { replies costUsd } } }
         limits { requestsPerMinute dailyTokens monthlyBudgetUsd concurrentReplies tokensToday spentThisMonthUsd leftThisMonthUsd } }`,
      {},
      { userId: 'erin' },
    );
    expect(result.errors).toBeUndefined();
    const perReply = miniCost(100, 0, 10);
    expect(result.data).toEqual({
      usage: {
        totals: { promptTokens: 300, completionTokens: 30, totalTokens: 330, costUsd: (3 * perReply) / 1e6, replies: 3, summaries: 0, estimatedCalls: 0 },
        byModel: [{ model: 'gpt-4o-mini', usage: { replies: 3 } }],
        byChannel: [
          { channel: 'GRAPHQL', usage: { replies: 2, costUsd: (2 * perReply) / 1e6 } },
          { channel: 'GRPC', usage: { replies: 1, costUsd: perReply / 1e6 } },
        ],
      },
      limits: {
        requestsPerMinute: null,
        dailyTokens: null,
        monthlyBudgetUsd: null,
        concurrentReplies: null,
        tokensToday: 330,
        spentThisMonthUsd: (3 * perReply) / 1e6,
        leftThisMonthUsd: null,
      },
    });

    const client = v1Client(t().grpcPort);
    try {
      const response = await unary<any>((cb) => client.GetUsage({ user_id: 'erin' }, auth(), cb));
      expect(response.usage.totals).toMatchObject({ prompt_tokens: '300', completion_tokens: '30', cost_micros: String(3 * perReply), replies: 3 });
      expect(response.usage.by_channel.map((c: { channel: string }) => c.channel)).toEqual(['graphql', 'grpc']);
      expect(response.limits).toMatchObject({ tokens_today: '330', spent_this_month_micros: String(3 * perReply), replies_running: 0 });
      expect(response.limits.daily_tokens).toBeUndefined();
    } finally {
      client.close();
    }
  });

  it('lets a service token read and set any user\'s limits, and no end user', async () => {
    const set = await executeRaw(
      t(),
      'mutation ($id: ID!, $limits: UserLimitsInput!) { setUserLimits(userId: $id, limits: $limits) { dailyTokens monthlyBudgetUsd requestsPerMinute overrides { dailyTokens monthlyBudgetUsd } } }',
      { id: 'frank', limits: { dailyTokens: 5_000, monthlyBudgetUsd: 2.5 } },
      { userId: 'admin-console' },
    );
    expect(set.data).toEqual({
      setUserLimits: { dailyTokens: 5_000, monthlyBudgetUsd: 2.5, requestsPerMinute: null, overrides: { dailyTokens: 5_000, monthlyBudgetUsd: 2.5 } },
    });
    const back = await executeRaw(
      t(),
      'mutation ($id: ID!) { setUserLimits(userId: $id, limits: { dailyTokens: null, monthlyBudgetUsd: 0 }) { dailyTokens monthlyBudgetUsd overrides { monthlyBudgetUsd } } }',
      { id: 'frank' },
      { userId: 'admin-console' },
    );
    // null: back to the default (unlimited here); 0: unlimited for this user.
    expect(back.data).toEqual({ setUserLimits: { dailyTokens: null, monthlyBudgetUsd: null, overrides: { monthlyBudgetUsd: 0 } } });

    const asFrank = { authorization: `Bearer ${await jwtFor('frank')}`, userId: '' };
    const denied = await executeRaw(t(), '{ userUsage(userId: "grace") { totals { replies } } }', {}, asFrank);
    expect(denied.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const deniedSet = await executeRaw(t(), 'mutation { setUserLimits(userId: "frank", limits: { dailyTokens: 0 }) { dailyTokens } }', {}, asFrank);
    expect(deniedSet.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Their own usage and limits they may read.
    const own = await executeRaw(t(), '{ limits { monthlyBudgetUsd } usage { totals { replies } } }', {}, asFrank);
    expect(own.data).toEqual({ limits: { monthlyBudgetUsd: null }, usage: { totals: { replies: 0 } } });

    const invalid = await executeRaw(t(), 'mutation { setUserLimits(userId: "frank", limits: { dailyTokens: -5 }) { dailyTokens } }', {}, { userId: 'admin' });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    const badRange = await executeRaw(t(), '{ usage(from: "2026-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z") { totals { replies } } }', {}, { userId: 'frank' });
    expect(badRange.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });
});

describe.each(storeEngines())('summary calls in the usage ledger on %s', (engine) => {
  const t = useTestApp(engine, { env: SUMMARY_ENV });

  it('records the summary a turn folded as its own row, with the turn', async () => {
    t().openai!.replyAlways(upstream());
    let chatId: string | undefined;
    for (let n = 1; n <= 8; n++) chatId = (await sendOverGraphQL(t(), 'lena', longMessage(n), chatId)).chatId;

    const summaryCalls = t().openai!.requests.filter((r) => r.body.stream !== true);
    expect(summaryCalls.length).toBeGreaterThan(0);
    const rows = await ledgerRows(t(), 'lena');
    const summaries = rows.filter((r) => r.kind === 'summary');
    expect(summaries).toHaveLength(summaryCalls.length);
    expect(rows.filter((r) => r.kind === 'reply')).toHaveLength(8);
    const stored = await t().app.core.contextSummary(chatId!);
    const last = summaries.at(-1)!;
    expect(last).toMatchObject({
      channel: 'graphql',
      estimated: false,
      model: 'gpt-4o-mini',
      prompt_tokens: stored!.usage.promptTokens,
      completion_tokens: stored!.usage.completionTokens,
    });
    expect(last.cost_micros).toBe(miniCost(last.prompt_tokens, 0, last.completion_tokens));
    // Its row belongs to the turn that folded it: that turn's reply has a row too.
    expect(rows.some((r) => r.kind === 'reply' && r.message_id === last.message_id)).toBe(true);

    const usage = await executeRaw(t(), '{ usage { totals { replies summaries } } }', {}, { userId: 'lena' });
    expect(usage.data).toEqual({ usage: { totals: { replies: 8, summaries: summaryCalls.length } } });
  });
});
