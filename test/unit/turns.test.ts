import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.js';
import { messageTokens } from '../../src/domain/token-rules.js';
import type { ChatEvent } from '../../src/use-cases/chat-events.js';
import { createChatCore } from '../../src/use-cases/chat-core.js';
import { collect, collectUntil } from '../support/in-memory/collect-events.js';
import { UNIT_MODEL, UNIT_SYSTEM_PROMPT, unitCoreDeps, type UnitCore } from '../support/in-memory/unit-core-deps.js';

/** A message's chat-format tokens in the unit model's encoding (o200k_base), by the core's own counter. */
const tokensOf = (unit: UnitCore, role: Message['role'], content: string) =>
  messageTokens({ role, content }, (text) => unit.deps.tokens.count(text, 'o200k_base'));

const isEnding = (event: ChatEvent) => event.type === 'completed' || event.type === 'failed';
const textOf = (events: readonly ChatEvent[]) => events.map((e) => (e.type === 'delta' ? e.text : '')).join('');

function started() {
  const unit = unitCoreDeps();
  return { unit, core: createChatCore(unit.deps) };
}

async function allMessagesOf(core: ReturnType<typeof createChatCore>, userId: string, chatId: string): Promise<readonly Message[]> {
  return (await core.listMessagesOf(await core.getChat(userId, chatId), { first: 100, includeErased: true })).items;
}

describe('a turn, through the chat core', () => {
  it('starts a chat with its first message: system prompt, user message and the reply, streamed then stored', async () => {
    const { unit, core } = started();
    unit.model.reply({ deltas: ['Hi', ', Ada', '.'] });

    const stream = await core.sendMessage({ userId: 'ada', content: 'Hello there' });
    const events = await collect(stream);

    expect(events.map((e) => e.type)).toEqual(['started', 'delta', 'delta', 'delta', 'completed']);
    expect(events.flatMap((e) => (e.type === 'delta' ? [e.text] : []))).toEqual(['Hi', ', Ada', '.']);
    const chat = await core.getChat('ada', stream.chat.id);
    expect(chat).toMatchObject({ userId: 'ada', title: 'Hello there', status: 'ACTIVE', model: UNIT_MODEL, systemPrompt: UNIT_SYSTEM_PROMPT });
    const messages = await allMessagesOf(core, 'ada', chat.id);
    expect(messages.map((m) => [m.seq, m.role, m.content, m.status, m.erased])).toEqual([
      [0, 'SYSTEM', UNIT_SYSTEM_PROMPT, 'COMPLETE', false],
      [1, 'USER', 'Hello there', 'COMPLETE', false],
      [2, 'ASSISTANT', 'Hi, Ada.', 'COMPLETE', false],
    ]);
    // Counted exactly, once, as each was written.
    expect(messages.map((m) => m.tokenCount)).toEqual([
      tokensOf(unit, 'SYSTEM', UNIT_SYSTEM_PROMPT),
      tokensOf(unit, 'USER', 'Hello there'),
      tokensOf(unit, 'ASSISTANT', 'Hi, Ada.'),
    ]);
    expect(events.at(-1)).toEqual({ type: 'completed', chatId: chat.id, message: messages[2] });
    expect(unit.model.calls[0]!.sent.messages).toEqual([
      { role: 'system', content: UNIT_SYSTEM_PROMPT },
      { role: 'user', content: 'Hello there' },
    ]);
  });

  it('answers a follow-up with the whole conversation, and tells watchers of the chat', async () => {
    const { unit, core } = started();
    unit.model.reply({ deltas: ['Paris.'] });
    const first = await core.sendMessage({ userId: 'ada', content: 'Capital of France?' });
    await collect(first);
    const watcher = await core.watchChat('ada', first.chat.id);
    unit.clock.advance(60_000);
    unit.model.reply({ deltas: ['About ', '2 million.'] });

    const second = await core.sendMessage({ userId: 'ada', chatId: first.chat.id, content: 'Population?' });
    const [events, watched] = await Promise.all([collect(second), collectUntil(watcher, isEnding)]);

    // The chat's watchers see the same turn (their deltas may merge when they lag).
    expect(watched[0]).toEqual(events[0]);
    expect(watched.at(-1)).toEqual(events.at(-1));
    expect(textOf(watched)).toBe('About 2 million.');
    expect(textOf(events)).toBe('About 2 million.');
    expect((await allMessagesOf(core, 'ada', first.chat.id)).map((m) => [m.seq, m.content])).toEqual([
      [0, UNIT_SYSTEM_PROMPT],
      [1, 'Capital of France?'],
      [2, 'Paris.'],
      [3, 'Population?'],
      [4, 'About 2 million.'],
    ]);
    expect(unit.model.calls[1]!.sent.messages.map((m) => m.content)).toEqual([UNIT_SYSTEM_PROMPT, 'Capital of France?', 'Paris.', 'Population?']);
    expect((await core.getChat('ada', first.chat.id)).updatedAt).toEqual(unit.clock.now());
  });

  it('drops the oldest messages that no longer fit the window, marks them erased and never sends them again', async () => {
    // A 120-token window and a 30-token reply budget leave 77 tokens of history beside the
    // 10-token system prompt; each question counts 23 tokens, each answer ("Noted.") 7.
    const unit = unitCoreDeps({ contextWindow: 120 });
    const core = createChatCore(unit.deps);
    const question = (n: number) => `Question ${n}: ${'apple '.repeat(15).trim()}`;
    expect([tokensOf(unit, 'USER', question(1)), tokensOf(unit, 'ASSISTANT', 'Noted.')]).toEqual([23, 7]);
    let chatId: string | undefined;
    for (const n of [1, 2, 3, 4]) {
      unit.model.reply({ deltas: ['Noted.'] });
      const stream = await core.sendMessage({ userId: 'ada', chatId, content: question(n) });
      chatId = stream.chat.id;
      await collect(stream);
    }

    const messages = await allMessagesOf(core, 'ada', chatId!);
    // Turn 3 could not hold question 1; turn 4 could not hold its answer and question 2 either.
    expect(messages.filter((m) => m.erased).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(unit.model.calls.map((call) => call.sent.messages.length)).toEqual([2, 4, 5, 5]);
    expect(unit.model.calls[3]!.sent.messages.map((m) => m.content)).toEqual([UNIT_SYSTEM_PROMPT, 'Noted.', question(3), 'Noted.', question(4)]);
    // Erased messages stay listable, on request only.
    const visible = (await core.listMessagesOf(await core.getChat('ada', chatId!), { first: 100 })).items;
    expect(visible.map((m) => m.seq)).toEqual([0, 4, 5, 6, 7, 8]);
  });

  it('refuses a message that cannot fit the window even alone with MESSAGE_TOO_LARGE, storing nothing', async () => {
    const unit = unitCoreDeps({ contextWindow: 120 });
    const core = createChatCore(unit.deps);

    await expect(core.sendMessage({ userId: 'ada', content: 'apple '.repeat(100) })).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });

    expect((await core.listChats({ userId: 'ada' })).items).toEqual([]);
    expect(unit.model.calls).toEqual([]);
  });

  it("reports another user's chat as not found, for every use, and leaves it alone", async () => {
    const { unit, core } = started();
    const hold = unit.model.reply({ deltas: ['Mine', ' only'], holdAfter: 1 });
    const stream = await core.sendMessage({ userId: 'ada', content: 'A secret' });
    const chatId = stream.chat.id;

    await expect(core.getChat('eve', chatId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await core.findChat('eve', chatId)).toBeUndefined();
    await expect(core.sendMessage({ userId: 'eve', chatId, content: 'Let me in' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.stopReply('eve', stream.assistantMessage.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.watchChat('eve', chatId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.renameChat('eve', chatId, 'Mine now')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.deleteChat('eve', chatId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await core.listChats({ userId: 'eve' })).items).toEqual([]);

    hold.release();
    expect((await collect(stream)).at(-1)).toMatchObject({ type: 'completed', message: { content: 'Mine only' } });
    expect(await core.getChat('ada', chatId)).toMatchObject({ title: 'A secret' });
    expect((await allMessagesOf(core, 'ada', chatId)).map((m) => m.content)).toEqual([UNIT_SYSTEM_PROMPT, 'A secret', 'Mine only']);
  });

  it('refuses messages to an ended chat with CHAT_ENDED', async () => {
    const { core } = started();
    const chat = await core.createChat({ userId: 'ada' });
    await core.endChat('ada', chat.id);

    await expect(core.sendMessage({ userId: 'ada', chatId: chat.id, content: 'Still there?' })).rejects.toMatchObject({ code: 'CHAT_ENDED' });
    expect((await allMessagesOf(core, 'ada', chat.id)).map((m) => m.role)).toEqual(['SYSTEM']);
  });
});
