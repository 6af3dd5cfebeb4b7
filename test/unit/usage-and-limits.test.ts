import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRICES } from '../../src/domain/prices.js';
import { messageTokens, promptTokens as promptTokensOf } from '../../src/domain/token-rules.js';
import { costMicros, estimatedCounts } from '../../src/domain/usage.js';
import { createChatCore } from '../../src/use-cases/chat-core.js';
import { collect } from '../support/in-memory/collect-events.js';
import { UNIT_MODEL, UNIT_SYSTEM_PROMPT, unitCoreDeps } from '../support/in-memory/unit-core-deps.js';

describe('usage and limits, through the chat core', () => {
  it('writes the ledger row of a completed reply from the usage the upstream reported, priced', async () => {
    const unit = unitCoreDeps();
    const core = createChatCore(unit.deps);
    unit.model.reply({ deltas: ['Fine.'], usage: { promptTokens: 1_000, completionTokens: 500, cachedPromptTokens: 200 } });

    const stream = await core.sendMessage({ userId: 'ada', content: 'How are you?', channel: 'graphql' });
    await collect(stream);

    const record = (await core.replyUsage([stream.assistantMessage.id])).get(stream.assistantMessage.id);
    // gpt-4o-mini: $0.15 per million input tokens, $0.075 cached, $0.60 output.
    expect(record).toEqual({
      messageId: stream.assistantMessage.id,
      kind: 'reply',
      userId: 'ada',
      chatId: stream.chat.id,
      channel: 'graphql',
      model: UNIT_MODEL,
      counts: { promptTokens: 1_000, cachedPromptTokens: 200, completionTokens: 500, reasoningTokens: null },
      estimated: false,
      costMicros: 120 + 15 + 300,
      priceVersion: unit.deps.usage.prices.version,
      at: unit.clock.now(),
    });
    expect((await core.usage('ada')).totals).toMatchObject({ promptTokens: 1_000, completionTokens: 500, costMicros: 435, replies: 1 });
    expect(unit.metrics.usage).toEqual([record]);
  });

  it('estimates the row of a reply the upstream reported nothing for: the prompt as sent, the text as delivered', async () => {
    const unit = unitCoreDeps();
    const core = createChatCore(unit.deps);
    unit.model.reply({ deltas: ['Stopped ', 'short'], failAfter: 2 });

    const stream = await core.sendMessage({ userId: 'ada', content: 'Go' });
    await collect(stream);

    const count = (text: string) => unit.deps.tokens.count(text, 'o200k_base');
    const promptTokens = promptTokensOf([
      messageTokens({ role: 'SYSTEM', content: UNIT_SYSTEM_PROMPT }, count),
      messageTokens({ role: 'USER', content: 'Go' }, count),
    ]);
    const completionTokens = count('Stopped short');
    const record = (await core.replyUsage([stream.assistantMessage.id])).get(stream.assistantMessage.id);
    expect(record).toMatchObject({
      estimated: true,
      counts: estimatedCounts(promptTokens, completionTokens),
      costMicros: costMicros(estimatedCounts(promptTokens, completionTokens), BUILT_IN_PRICES[UNIT_MODEL]),
    });
  });

  it('refuses a turn with QUOTA_EXCEEDED once the daily tokens are spent, storing nothing of it', async () => {
    // A reply budget of 100 tokens; 300 tokens a day: the first turn fits, and spends 250.
    const unit = unitCoreDeps({ maxTokens: 100, limits: { dailyTokens: 300 } });
    const core = createChatCore(unit.deps);
    unit.model.reply({ deltas: ['A long answer.'], usage: { promptTokens: 150, completionTokens: 100 } });
    const first = await core.sendMessage({ userId: 'ada', content: 'Tell me everything' });
    await collect(first);
    expect((await core.limits('ada')).standing).toMatchObject({ daySpentTokens: 250, dayReservedTokens: 0, runningReplies: 0 });

    const refused = core.sendMessage({ userId: 'ada', chatId: first.chat.id, content: 'And more' });

    await expect(refused).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', retryAfterMs: Date.parse('2026-11-29T00:00:00Z') - unit.clock.now().getTime() });
    expect((await core.listMessagesOf(first.chat, { first: 10 })).items).toHaveLength(3);
    expect(unit.model.calls).toHaveLength(1);
    expect(unit.metrics.refusals).toEqual(['daily_tokens']);
    // Another user has a day of their own; and the next day, so has this one.
    await collect(await core.sendMessage({ userId: 'bob', content: 'Hi' }));
    unit.clock.advance(24 * 60 * 60 * 1000);
    await collect(await core.sendMessage({ userId: 'ada', chatId: first.chat.id, content: 'And more' }));
    expect(unit.model.calls).toHaveLength(3);
  });

  it('holds a running reply’s worst case: a second chat of the same user is refused while it runs', async () => {
    const unit = unitCoreDeps({ maxTokens: 100, limits: { dailyTokens: 200 } });
    const core = createChatCore(unit.deps);
    const call = unit.model.reply({ deltas: ['Thinking'], holdAfter: 1 });
    const running = await core.sendMessage({ userId: 'ada', content: 'First question' });
    await call.held;

    await expect(core.sendMessage({ userId: 'ada', content: 'Second question' })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect((await core.listChats({ userId: 'ada' })).items.map((c) => c.id)).toEqual([running.chat.id]);

    call.release();
    await collect(running);
    expect((await core.limits('ada')).standing.dayReservedTokens).toBe(0);
  });

  it('refuses the messages over a user’s per-minute limit with RATE_LIMITED until the minute has passed', async () => {
    const unit = unitCoreDeps({ limits: { requestsPerMinute: 1 } });
    const core = createChatCore(unit.deps);
    await collect(await core.sendMessage({ userId: 'ada', content: 'One' }));

    await expect(core.sendMessage({ userId: 'ada', content: 'Two' })).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 60_000 });

    unit.clock.advance(60_000);
    await collect(await core.sendMessage({ userId: 'ada', content: 'Two' }));
    expect((await core.listChats({ userId: 'ada' })).items).toHaveLength(2);
  });
});
