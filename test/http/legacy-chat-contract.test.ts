import { describe, expect, it, vi } from 'vitest';
import { storeEngines } from '../support/stores.js';
import { SERVICE_TOKEN, useTestApp } from '../support/test-app.js';
import { storedMessages } from '../support/stored-messages.js';

/**
 * What the original service's clients rely on, and what they need to tell a
 * partial reply from a whole one.
 */
describe.each(storeEngines())('the legacy POST /chat contract on %s', (engine) => {
  const t = useTestApp(engine);

  it.each([
    ['an empty chat_id', ''],
    ['a null chat_id', null],
  ])('starts a new chat for %s, as the original service did', async (_name, chatId) => {
    t().openai!.reply({ text: 'Hello.' });
    const response = await t().postJson('/chat', { chat_id: chatId, user_id: 'alice', user_message: 'Hi' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ chat_id: expect.any(String), user_id: 'alice', content: 'Hello.' });
    expect(response.body.chat_id).not.toBe('');
  });

  it('says a whole reply is COMPLETE and why it ended', async () => {
    t().openai!.reply({ text: 'All of it.' });
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Hi' });
    expect(response.body).toEqual({
      chat_id: expect.any(String),
      user_id: 'alice',
      content: 'All of it.',
      status: 'COMPLETE',
      finish_reason: 'stop',
    });
  });

  it('marks a reply cut by the reply budget INCOMPLETE with finish_reason length', async () => {
    t().openai!.reply({ text: 'The beginning of a long', finishReason: 'length' });
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Tell me everything' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ content: 'The beginning of a long', status: 'INCOMPLETE', finish_reason: 'length' });
  });

  it('marks a reply stopped from another channel INCOMPLETE, with exactly the text delivered', async () => {
    let resume!: () => void;
    t().openai!.reply({ deltas: ['Half ', 'of it', ' and the rest'], pauseAfterDeltas: 2, resumeWhen: new Promise<void>((r) => (resume = r)) });
    const index = t().openai!.requests.length;
    const pending = t().postJson('/chat', { user_id: 'alice', user_message: 'Go on' });
    await t().openai!.waitForRequest(index);
    const streaming = await vi.waitFor(async () => {
      const row = (await t().store.knex('messages').where({ status: 'STREAMING' }).first()) as { id: string } | undefined;
      expect(row).toBeDefined();
      return row!;
    });
    // The two deltas before the pause reach the service within moments.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await t().app.core.stopReply('alice', streaming.id);
    resume();

    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('INCOMPLETE');
    expect(response.body.content).toBe('Half of it');
    const stored = await storedMessages(t().app.core, { userId: 'alice', chatId: response.body.chat_id });
    expect(stored.items.at(-1)).toMatchObject({ content: response.body.content, status: 'INCOMPLETE' });
  });

  it('names the chat and the partial text in the 502 body when the upstream dies mid-reply', async () => {
    t().openai!.reply({ deltas: ['Partial ', 'answer', ' never finished'], dropAfterDeltas: 2 });
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Explain' });

    expect(response.status).toBe(502);
    expect(response.body).toEqual({
      error: { code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String) },
      chat_id: expect.any(String),
      user_id: 'alice',
      content: 'Partial answer',
    });
    const continued = await t().postJson('/chat', { chat_id: response.body.chat_id, user_id: 'alice', user_message: 'Go on' });
    expect(continued.status).toBe(200);
    expect(continued.body.chat_id).toBe(response.body.chat_id);
  });

  it.each(['GET', 'PUT', 'DELETE'])('answers %s /chat with 405 and Allow: POST', async (method) => {
    const response = await fetch(`${t().httpUrl}/chat`, { method, headers: { authorization: SERVICE_TOKEN } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({ error: { code: 'INVALID_INPUT', message: expect.any(String) } });
  });
});
