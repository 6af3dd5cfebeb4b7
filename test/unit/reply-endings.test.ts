import { describe, expect, it } from 'vitest';
import type { ReplyEvent } from '../../src/use-cases/chat-events.js';
import { createChatCore } from '../../src/use-cases/chat-core.js';
import { collect } from '../support/in-memory/collect-events.js';
import { UNIT_SYSTEM_PROMPT, unitCoreDeps } from '../support/in-memory/unit-core-deps.js';

function started() {
  const unit = unitCoreDeps();
  return { unit, core: createChatCore(unit.deps) };
}

const deltasOf = (events: readonly ReplyEvent[]) => events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));

describe('how a reply ends, through the chat core', () => {
  it('refuses a second message while a reply streams with CHAT_BUSY, storing nothing, and takes it once the reply ended', async () => {
    const { unit, core } = started();
    const call = unit.model.reply({ deltas: ['Still', ' thinking'], holdAfter: 1 });
    const first = await core.sendMessage({ userId: 'ada', content: 'First' });
    await call.held;

    await expect(core.sendMessage({ userId: 'ada', chatId: first.chat.id, content: 'Second' })).rejects.toMatchObject({ code: 'CHAT_BUSY' });
    const chat = await core.getChat('ada', first.chat.id);
    expect((await core.listMessagesOf(chat, { first: 10 })).items.map((m) => m.content)).toEqual([UNIT_SYSTEM_PROMPT, 'First', '']);

    call.release();
    await collect(first);
    await collect(await core.sendMessage({ userId: 'ada', chatId: chat.id, content: 'Second' }));
    expect((await core.listMessagesOf(chat, { first: 10 })).items.map((m) => m.content)).toEqual([
      UNIT_SYSTEM_PROMPT,
      'First',
      'Still thinking',
      'Second',
      'Hello there.',
    ]);
  });

  it('refuses a message with CHAT_BUSY while another process holds the lease of the chat’s reply', async () => {
    const one = unitCoreDeps();
    const other = unitCoreDeps({ shared: one });
    const call = one.model.reply({ deltas: ['Working'], holdAfter: 1 });
    const stream = await createChatCore(one.deps).sendMessage({ userId: 'ada', content: 'Long job' });
    await call.held;

    await expect(createChatCore(other.deps).sendMessage({ userId: 'ada', chatId: stream.chat.id, content: 'Me too' })).rejects.toMatchObject({
      code: 'CHAT_BUSY',
    });
    expect(other.model.calls).toEqual([]);

    call.release();
    expect((await collect(stream)).at(-1)).toMatchObject({ type: 'completed', message: { status: 'COMPLETE', content: 'Working' } });
  });

  it('stops a reply on request: the upstream is aborted and exactly the delivered text is stored INCOMPLETE', async () => {
    const { unit, core } = started();
    const call = unit.model.reply({ deltas: ['Once ', 'upon ', 'a ', 'time'], holdAfter: 2 });
    const stream = await core.sendMessage({ userId: 'ada', content: 'Tell a story' });
    const events = collect(stream);
    await call.held;

    const stopped = await core.stopReply('ada', stream.assistantMessage.id);

    expect(stopped).toMatchObject({ id: stream.assistantMessage.id, status: 'INCOMPLETE', content: 'Once upon ', finishReason: 'stopped', errorCode: null });
    expect(await call.outcome).toBe('aborted');
    const seen = await events;
    expect(deltasOf(seen).join('')).toBe('Once upon ');
    expect(seen.at(-1)).toEqual({ type: 'completed', chatId: stream.chat.id, message: stopped });
    // Stopping again is harmless; the chat takes the next message.
    expect(await core.stopReply('ada', stream.assistantMessage.id)).toEqual(stopped);
    await collect(await core.sendMessage({ userId: 'ada', chatId: stream.chat.id, content: 'Go on' }));
  });

  it('stores the delivered text INCOMPLETE and reports UPSTREAM_UNAVAILABLE when the upstream dies mid-stream', async () => {
    const { unit, core } = started();
    unit.model.reply({ deltas: ['partial ', 'answer ', 'lost'], failAfter: 2 });

    const stream = await core.sendMessage({ userId: 'ada', content: 'Hi' });
    const events = await collect(stream);

    expect(deltasOf(events).join('')).toBe('partial answer ');
    const ending = events.at(-1)!;
    expect(ending).toMatchObject({ type: 'failed', code: 'UPSTREAM_UNAVAILABLE' });
    const stored = (await core.listMessagesOf(stream.chat, { first: 10 })).items.at(-1);
    expect(stored).toMatchObject({ status: 'INCOMPLETE', content: 'partial answer ', finishReason: 'error', errorCode: 'UPSTREAM_UNAVAILABLE' });
    expect(ending.type === 'failed' && ending.message).toEqual(stored);
    expect(unit.logger.messages('warn')).toContain('upstream reply failed');
  });

  it('stores a reply that failed before any text as FAILED, and the chat goes on', async () => {
    const { unit, core } = started();
    unit.model.reply({ failAfter: 0 });

    const stream = await core.sendMessage({ userId: 'ada', content: 'Hi' });
    const events = await collect(stream);

    expect(events.map((e) => e.type)).toEqual(['started', 'failed']);
    expect(events.at(-1)).toMatchObject({ type: 'failed', code: 'UPSTREAM_UNAVAILABLE', message: { status: 'FAILED', content: '' } });
    // A failed reply carries no text the model should see.
    await collect(await core.sendMessage({ userId: 'ada', chatId: stream.chat.id, content: 'Again' }));
    expect(unit.model.calls[1]!.sent.messages.map((m) => m.content)).toEqual([UNIT_SYSTEM_PROMPT, 'Hi', 'Again']);
  });

  it('never marks a reply cut by the token budget COMPLETE', async () => {
    const { unit, core } = started();
    unit.model.reply({ deltas: ['Truncated'], finishReason: 'length' });

    const events = await collect(await core.sendMessage({ userId: 'ada', content: 'Hi' }));

    expect(events.at(-1)).toMatchObject({ type: 'completed', message: { status: 'INCOMPLETE', finishReason: 'length', content: 'Truncated' } });
  });
});
