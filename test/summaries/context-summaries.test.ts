import { describe, expect, it } from 'vitest';
import { ContextSummaryDocument, UpdateChatConfigDocument } from '../graphql/generated/graphql.js';
import { data } from '../graphql/graphql-clients.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import {
  REPLY_BUDGET,
  SUMMARY_ENV,
  WINDOW,
  completed,
  contentsOf,
  countSent,
  isSummaryRequest,
  longMessage,
  noteTokens,
  rolesOf,
  upstream,
} from './summary-test-kit.js';
import { storedMessages } from '../support/stored-messages.js';

describe.each(storeEngines())('context summaries on %s', (engine) => {
  const t = useTestApp(engine, { env: SUMMARY_ENV });
  const requests = () => t().openai!.requests;
  const summaryRequests = () => requests().filter(isSummaryRequest);
  const turnRequests = () => requests().filter((r) => !isSummaryRequest(r));

  /** Sends `count` numbered messages in one chat, each waiting for its reply; returns the chat id. */
  async function converse(count: number, options: { chatId?: string; first?: number; config?: { contextStrategy: 'TRUNCATE' | 'SUMMARIZE' } } = {}) {
    let chatId = options.chatId;
    for (let i = 0; i < count; i += 1) {
      const stream = await t().app.core.sendMessage({ userId: 'alice', chatId, content: longMessage((options.first ?? 1) + i), config: options.config });
      chatId = stream.chat.id;
      expect((await completed(stream)).type).toBe('completed');
    }
    return chatId!;
  }

  const summaryOf = async (chatId: string) => (await data(t(), ContextSummaryDocument, { id: chatId })).chat!.contextSummary;

  it('folds each newly erased span once, and later prompts carry the summary right after the system prompt, fitting the window', async () => {
    t().openai!.requests.length = 0;
    t().openai!.replyAlways(upstream());
    const chatId = await converse(9);

    // One summary request per turn that erased something new, never two in one turn.
    const summaries = summaryRequests();
    expect(summaries.length).toBeGreaterThanOrEqual(2);
    const turnsWithSummary = requests().map((r, i) => (isSummaryRequest(r) ? requests()[i + 1] : undefined)).filter(Boolean);
    expect(turnsWithSummary.every((r) => !isSummaryRequest(r!))).toBe(true);
    // No message is summarised twice: every tagged message appears in at most one summary request.
    const removed = summaries.map((r) => contentsOf(r)[1]!.split('<removed-messages>')[1]!);
    for (let n = 1; n <= 9; n += 1) {
      expect(removed.filter((text) => text.includes(`Message ${n}:`)).length).toBeLessThanOrEqual(1);
    }
    // The second fold starts from the first summary.
    expect(contentsOf(summaries[1]!)[1]).toContain('Summary #1');

    const last = turnRequests().at(-1)!;
    expect(rolesOf(last).slice(0, 2)).toEqual(['system', 'user']);
    const note = contentsOf(last)[1]!;
    expect(note).toMatch(/^<earlier-conversation-summary>\n/);
    expect(note).toContain(`Summary #${summaries.length}`);
    expect(countSent(last) + REPLY_BUDGET).toBeLessThanOrEqual(WINDOW);

    // Erased messages are still stored and listable, all nine user messages with them.
    const all = await storedMessages(t().app.core, { userId: 'alice', chatId, includeErased: true, first: 100 });
    expect(all.items.filter((m) => m.role === 'USER').map((m) => m.content)).toEqual(Array.from({ length: 9 }, (_, i) => longMessage(i + 1)));
    expect(all.items.some((m) => m.erased)).toBe(true);
  });

  it('stores the summary with exact counts of what was sent, its usage, and exposes it', async () => {
    t().openai!.requests.length = 0;
    t().openai!.replyAlways(upstream());
    const chatId = await converse(7);
    const summary = (await summaryOf(chatId))!;
    const lastSummaryRequest = summaryRequests().at(-1)!;

    expect(summary.content).toBe(`Summary #${summaryRequests().length}: the user sent numbered messages about apples.`);
    expect(summary.model).toBe('gpt-4o-mini');
    expect(summary.usage.promptTokens).toBe(countSent(lastSummaryRequest));
    expect(summary.usage.completionTokens).toBeGreaterThan(0);

    // The next turn's note is counted exactly as stored, and the prompt's count is the tokenizer's.
    const stream = await t().app.core.sendMessage({ userId: 'alice', chatId, content: 'And now?' });
    const ending = await completed(stream);
    const sent = turnRequests().at(-1)!;
    expect(noteTokens(contentsOf(sent)[1]!)).toBe((await summaryOf(chatId))!.tokenCount);
    expect(ending.type === 'completed' && ending.message.usage?.promptTokens).toBe(countSent(sent));
    const kept = (await storedMessages(t().app.core, { userId: 'alice', chatId, first: 100 })).items.filter((m) => m.id !== stream.assistantMessage.id);
    const planned = 3 + kept.reduce((sum, m) => sum + m.tokenCount, 0) + (await summaryOf(chatId))!.tokenCount;
    expect(planned).toBe(countSent(sent));
  });

  it('goes on with plain truncation when the summary call fails, and folds the same messages next turn', async () => {
    t().openai!.requests.length = 0;
    t().openai!.replyAlways(upstream([{ error: { status: 500 } }]));
    const chatId = await converse(6);
    expect(summaryRequests()).toHaveLength(1);
    // The turn that overflowed was answered without a summary.
    const failedTurn = requests()[requests().indexOf(summaryRequests()[0]!) + 1]!;
    expect(contentsOf(failedTurn)[1]).not.toMatch(/earlier-conversation-summary/);
    expect(countSent(failedTurn) + REPLY_BUDGET).toBeLessThanOrEqual(WINDOW);
    expect(await summaryOf(chatId)).toBeNull();

    await converse(1, { chatId, first: 7 });
    expect(summaryRequests()).toHaveLength(2);
    // The retry carries what the failed fold would have folded: Message 1 was erased by the failing turn.
    expect(contentsOf(summaryRequests()[1]!)[1]).toContain('Message 1:');
    expect((await summaryOf(chatId))?.content).toMatch(/^Summary #2/);
  });

  it('does not wait long for a summary call that hangs: the turn times it out and truncates', async () => {
    t().openai!.requests.length = 0;
    t().openai!.replyAlways(upstream([{ hang: true }]));
    const chatId = await converse(5);
    const started = Date.now();
    await converse(1, { chatId, first: 6 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(summaryRequests()).toHaveLength(1);
    expect(await summaryRequests()[0]!.outcome).toBe('aborted');
    expect(contentsOf(turnRequests().at(-1)!)[1]).not.toMatch(/earlier-conversation-summary/);
    expect(await summaryOf(chatId)).toBeNull();
  });

  it('makes no summary request for a TRUNCATE chat', async () => {
    t().openai!.requests.length = 0;
    t().openai!.replyAlways(upstream());
    const chatId = await converse(1, { config: { contextStrategy: 'TRUNCATE' } });
    // A turn's config applies to that turn only; the chat's own is switched for every later one.
    await data(t(), UpdateChatConfigDocument, { id: chatId, config: { contextStrategy: 'TRUNCATE' } });
    await converse(8, { chatId, first: 2 });
    expect(summaryRequests()).toHaveLength(0);
    const all = await storedMessages(t().app.core, { userId: 'alice', chatId, includeErased: true, first: 100 });
    expect(all.items.some((m) => m.erased)).toBe(true);
    expect(await summaryOf(chatId)).toBeNull();
    expect((await data(t(), ContextSummaryDocument, { id: chatId })).chat!.config.contextStrategy).toBe('TRUNCATE');
  });

  it('cuts a single message too large to summarise whole instead of sending it', async () => {
    t().openai!.requests.length = 0;
    t().openai!.replyAlways(upstream());
    const huge = `Huge: ${'pear '.repeat(470)}`;
    const first = await t().app.core.sendMessage({ userId: 'alice', content: huge });
    await completed(first);
    await converse(1, { chatId: first.chat.id, first: 2 });
    const request = summaryRequests()[0]!;
    expect(contentsOf(request)[1]).toContain('[…truncated]');
    expect(contentsOf(request)[1]).not.toContain(huge);
    expect(countSent(request)).toBeLessThanOrEqual(WINDOW);
  });
});
