import { describe, expect, it } from 'vitest';
import { createChatCore } from '../../src/use-cases/chat-core.js';
import { collect } from '../support/in-memory/collect-events.js';
import { UNIT_SYSTEM_PROMPT, unitCoreDeps } from '../support/in-memory/unit-core-deps.js';

describe('sends with an idempotency key, through the chat core', () => {
  it('answers a retry with the same key and content with the first send’s turn, stored once and asked upstream once', async () => {
    const unit = unitCoreDeps();
    const core = createChatCore(unit.deps);
    unit.model.reply({ deltas: ['Only', ' once'] });
    const first = await core.sendMessage({ userId: 'ada', content: 'Book a table', idempotencyKey: 'k-1' });
    const firstEvents = await collect(first);

    const retry = await core.sendMessage({ userId: 'ada', content: 'Book a table', idempotencyKey: 'k-1' });
    const retryEvents = await collect(retry);

    expect([retry.chat.id, retry.userMessage.id, retry.assistantMessage.id]).toEqual([first.chat.id, first.userMessage.id, first.assistantMessage.id]);
    // The retry replays the reply from the store: the same text and ending.
    expect(retryEvents.at(-1)).toEqual(firstEvents.at(-1));
    expect(retryEvents.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('')).toBe('Only once');
    expect(unit.model.calls).toHaveLength(1);
    expect((await core.listChats({ userId: 'ada' })).items).toHaveLength(1);
    expect((await core.listMessagesOf(first.chat, { first: 10 })).items.map((m) => m.content)).toEqual([UNIT_SYSTEM_PROMPT, 'Book a table', 'Only once']);
  });

  it('refuses the same key for another message (INVALID_INPUT), and keeps keys per user', async () => {
    const unit = unitCoreDeps();
    const core = createChatCore(unit.deps);
    await collect(await core.sendMessage({ userId: 'ada', content: 'One thing', idempotencyKey: 'k-2' }));

    await expect(core.sendMessage({ userId: 'ada', content: 'Another thing', idempotencyKey: 'k-2' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const bobs = await core.sendMessage({ userId: 'bob', content: 'Another thing', idempotencyKey: 'k-2' });
    await collect(bobs);

    expect(bobs.chat.userId).toBe('bob');
    expect(unit.model.calls).toHaveLength(2);
  });

  it('forgets the key of a send that was refused: the retry is a send of its own', async () => {
    const unit = unitCoreDeps();
    const core = createChatCore(unit.deps);
    const chat = await core.createChat({ userId: 'ada' });
    await core.endChat('ada', chat.id);
    await expect(core.sendMessage({ userId: 'ada', chatId: chat.id, content: 'Hi', idempotencyKey: 'k-3' })).rejects.toMatchObject({ code: 'CHAT_ENDED' });

    const fresh = await core.sendMessage({ userId: 'ada', content: 'Hi', idempotencyKey: 'k-3' });
    await collect(fresh);

    expect(fresh.chat.id).not.toBe(chat.id);
  });
});
