import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../src/domain/models.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import type { ReplyEvent } from '../../src/use-cases/chat-events.js';
import type { TokenCounter } from '../../src/use-cases/ports.js';
import { storeEngines } from '../support/stores.js';
import { startTestApp, useTestApp } from '../support/test-app.js';
import { storedMessages } from '../support/stored-messages.js';

async function collect(events: AsyncIterable<ReplyEvent>): Promise<ReplyEvent[]> {
  const all: ReplyEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Records every text it is asked to count, so a test can see what was tokenized. */
class RecordingCounter implements TokenCounter {
  readonly texts: string[] = [];
  private readonly inner = new TiktokenCounter();
  count(text: string, encoding: Encoding): number {
    this.texts.push(text);
    return this.inner.count(text, encoding);
  }
}

describe.each(storeEngines())('sendMessage on %s', (engine) => {
  const t = useTestApp(engine);
  const core = () => t().app.core;

  it('streams started, deltas that add up to the upstream text, then completed with the stored reply', async () => {
    t().openai!.reply({ deltas: ['One', ', two', ', three.'] });
    const stream = await core().sendMessage({ userId: 'alice', content: 'Count to three' });
    const events = await collect(stream);

    expect(events.map((e) => e.type)).toEqual(['started', 'delta', 'delta', 'delta', 'completed']);
    const deltas = events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));
    expect(deltas).toEqual(['One', ', two', ', three.']);
    const completed = events.at(-1)!;
    expect(completed.type === 'completed' && completed.message).toMatchObject({
      id: stream.assistantMessage.id,
      content: 'One, two, three.',
      status: 'COMPLETE',
      finishReason: 'stop',
    });
  });

  it('keeps producing and stores the reply when the consumer goes away', async () => {
    const resume = deferred();
    t().openai!.reply({ deltas: ['a', 'b', 'c', 'd'], pauseAfterDeltas: 1, resumeWhen: resume.promise });
    const stream = await core().sendMessage({ userId: 'alice', content: 'Hi' });
    for await (const event of stream) if (event.type === 'delta') break;
    resume.resolve();

    await expect.poll(async () => (await t().store.repository.findMessage(stream.assistantMessage.id))?.status).toBe('COMPLETE');
    expect((await t().store.repository.findMessage(stream.assistantMessage.id))?.content).toBe('abcd');
  });

  it('stops a reply on request, storing exactly the delivered text as INCOMPLETE and aborting the upstream', async () => {
    t().openai!.reply({ deltas: ['Once ', 'upon ', 'a ', 'time'], pauseAfterDeltas: 2 });
    const before = t().openai!.requests.length;
    const stream = await core().sendMessage({ userId: 'alice', content: 'Tell a story' });
    const delivered: string[] = [];
    for await (const event of stream) {
      if (event.type === 'delta') delivered.push(event.text);
      if (delivered.length === 2) break;
    }

    const stopped = await core().stopReply('alice', stream.assistantMessage.id);
    expect(stopped).toMatchObject({ status: 'INCOMPLETE', content: 'Once upon ', finishReason: 'stopped' });
    expect(await t().openai!.requests[before]!.outcome).toBe('aborted');
    // Stopping again is harmless, and the chat takes the next message.
    expect((await core().stopReply('alice', stream.assistantMessage.id)).status).toBe('INCOMPLETE');
    const next = await core().sendMessage({ userId: 'alice', chatId: stream.chat.id, content: 'Go on' });
    await collect(next);
  });

  it("does not let another user stop a reply", async () => {
    const resume = deferred();
    t().openai!.reply({ deltas: ['x', 'y'], pauseAfterDeltas: 1, resumeWhen: resume.promise });
    const stream = await core().sendMessage({ userId: 'alice', content: 'Hi' });
    await expect(core().stopReply('mallory', stream.assistantMessage.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    resume.resolve();
    expect((await collect(stream)).at(-1)!.type).toBe('completed');
  });

  it('refuses a second message while a reply streams with CHAT_BUSY, storing nothing', async () => {
    const resume = deferred();
    t().openai!.reply({ deltas: ['x', 'y'], pauseAfterDeltas: 1, resumeWhen: resume.promise });
    const stream = await core().sendMessage({ userId: 'alice', content: 'First' });
    await expect(core().sendMessage({ userId: 'alice', chatId: stream.chat.id, content: 'Second' })).rejects.toMatchObject({
      code: 'CHAT_BUSY',
    });
    resume.resolve();
    await collect(stream);
    const messages = await storedMessages(core(), { userId: 'alice', chatId: stream.chat.id });
    expect(messages.items.map((m) => m.content)).not.toContain('Second');
  });

  it('stores the delivered text as INCOMPLETE and reports UPSTREAM_UNAVAILABLE when the upstream dies mid-stream', async () => {
    t().openai!.reply({ deltas: ['partial ', 'answer ', 'lost'], dropAfterDeltas: 2 });
    const events = await collect(await core().sendMessage({ userId: 'alice', content: 'Hi' }));
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'failed', code: 'UPSTREAM_UNAVAILABLE' });
    expect(last.type === 'failed' && last.message).toMatchObject({ status: 'INCOMPLETE', content: 'partial answer ' });
  });

  it('never marks a reply cut by the token budget COMPLETE', async () => {
    t().openai!.reply({ text: 'Truncated', finishReason: 'length' });
    const events = await collect(await core().sendMessage({ userId: 'alice', content: 'Hi' }));
    expect(events.at(-1)).toMatchObject({ type: 'completed', message: { status: 'INCOMPLETE', finishReason: 'length' } });
  });

  it('refuses messages to an ended chat with CHAT_ENDED', async () => {
    const chat = await core().createChat({ userId: 'alice' });
    await core().endChat('alice', chat.id);
    await expect(core().sendMessage({ userId: 'alice', chatId: chat.id, content: 'Hi' })).rejects.toMatchObject({ code: 'CHAT_ENDED' });
  });

  it('uses a persona or a chat’s own system prompt, and refuses unknown personas and models', async () => {
    const tutor = await collect(await core().sendMessage({ userId: 'alice', content: 'Hi', personaId: 'tutor' }));
    expect(tutor[0]!.type === 'started' && tutor[0]!.chat.systemPrompt).toContain('patient tutor');
    const pirate = await core().createChat({ userId: 'alice', systemPrompt: 'You are a pirate.' });
    expect(pirate.systemPrompt).toBe('You are a pirate.');

    await expect(core().sendMessage({ userId: 'alice', content: 'Hi', personaId: 'nobody' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(core().sendMessage({ userId: 'alice', content: 'Hi', model: 'gpt-17' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(core().createChat({ userId: 'alice', config: { temperature: 5 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await core().listChats({ userId: 'alice' })).items).toHaveLength(2);
  });

  it('sends the parameters a reasoning model expects', async () => {
    const before = t().openai!.requests.length;
    await collect(await core().sendMessage({ userId: 'alice', content: 'Think', model: 'o3-mini', config: { maxTokens: 500 } }));
    const body = t().openai!.requests[before]!.body as unknown as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'o3-mini', max_completion_tokens: 500 });
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('temperature');
  });

  it('lists chats by latest activity and pages through them', async () => {
    const a = await core().createChat({ userId: 'alice', title: 'A' });
    const b = await core().createChat({ userId: 'alice', title: 'B' });
    await core().createChat({ userId: 'bob', title: 'not yours' });
    await collect(await core().sendMessage({ userId: 'alice', chatId: a.id, content: 'bump' }));

    const first = await core().listChats({ userId: 'alice', first: 1 });
    expect(first.items.map((c) => c.title)).toEqual(['A']);
    expect(first.hasNextPage).toBe(true);
    const second = await core().listChats({ userId: 'alice', first: 1, after: first.endCursor! });
    expect(second.items.map((c) => c.id)).toEqual([b.id]);
    expect(second.hasNextPage).toBe(false);
  });

  it('renames, ends and deletes only the owner’s chats', async () => {
    const chat = await core().createChat({ userId: 'alice' });
    await expect(core().renameChat('bob', chat.id, 'mine now')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core().deleteChat('bob', chat.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await core().renameChat('alice', chat.id, '  Trip  plans ')).title).toBe('Trip plans');
    await core().deleteChat('alice', chat.id);
    expect(await core().findChat('alice', chat.id)).toBeUndefined();
  });
});

describe('a turn on a chat with 1,000 stored messages', () => {
  it('tokenizes only the new message and the reply', async () => {
    const tokens = new RecordingCounter();
    const t = await startTestApp('sqlite', { overrides: { tokens } });
    try {
      const { repository } = t.store;
      const chat = await t.app.core.createChat({ userId: 'alice' });
      const now = new Date();
      for (let seq = 1; seq < 1000; seq += 2) {
        const message = (role: 'USER' | 'ASSISTANT', s: number) => ({
          id: `${chat.id}-${s}`,
          chatId: chat.id,
          seq: s,
          role,
          content: `${role} message ${s}`,
          tokenCount: 8,
          status: role === 'USER' ? ('COMPLETE' as const) : ('STREAMING' as const),
          erased: false,
          model: chat.model,
          finishReason: null,
          usage: null,
          errorCode: null,
          createdAt: now,
        });
        const assistantMessage = message('ASSISTANT', seq + 1);
        const lease = { owner: 'test', expiresAt: new Date(now.getTime() + 60_000) };
        await repository.recordTurn({ chatId: chat.id, userMessage: message('USER', seq), assistantMessage, lease, erasedMessageIds: [], at: now });
        await repository.finishReply(assistantMessage, {
          content: `ASSISTANT message ${seq + 1}`,
          status: 'COMPLETE',
          tokenCount: 8,
          finishReason: 'stop',
          usage: null,
          errorCode: null,
        });
      }
      t.openai!.reply({ text: 'The reply.' });
      tokens.texts.length = 0;

      const events = await collect(await t.app.core.sendMessage({ userId: 'alice', chatId: chat.id, content: 'The new message' }));

      expect(events.at(-1)!.type).toBe('completed');
      expect(tokens.texts).toEqual(['user', 'The new message', 'assistant', 'The reply.']);
      const prompt = t.openai!.requests.at(-1)!.body.messages;
      expect(prompt).toHaveLength(1002);
      expect(prompt.at(-1)).toEqual({ role: 'user', content: 'The new message' });
    } finally {
      await t.stop();
    }
  });
});

describe('shutting down with a reply in progress', () => {
  it('stores the delivered text as INCOMPLETE instead of leaving it STREAMING', async () => {
    const t = await startTestApp('sqlite', { overrides: { shutdownGraceMs: 50 } });
    try {
      t.openai!.reply({ deltas: ['half ', 'of it', ' never sent'], pauseAfterDeltas: 2 });
      const stream = await t.app.core.sendMessage({ userId: 'alice', content: 'Hi' });
      let seen = 0;
      for await (const event of stream) if (event.type === 'delta' && ++seen === 2) break;

      await t.app.stop();

      // The test's own connection to the store outlives the app's.
      const stored = await t.store.repository.findMessage(stream.assistantMessage.id);
      expect(stored).toMatchObject({ status: 'INCOMPLETE', content: 'half of it', finishReason: 'stopped' });
    } finally {
      await t.openai!.close();
      await t.store.close();
    }
  });
});
