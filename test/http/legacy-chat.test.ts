import { describe, expect, it } from 'vitest';
import { storeEngines, type TestStore } from '../support/stores.js';
import { SERVICE_TOKEN, startTestApp, useTestApp } from '../support/test-app.js';
import { storedMessages } from '../support/stored-messages.js';

const countRows = async (store: TestStore, table: 'chats' | 'messages') => {
  const [row] = await store.knex(table).count({ n: '*' });
  return Number(row!.n);
};

describe.each(storeEngines())('POST /chat on %s', (engine) => {
  const t = useTestApp(engine);

  it('answers with the whole reply and stores it with its token count and finish reason', async () => {
    t().openai!.reply({ deltas: ['Hi ', 'there, ', 'Alice! ', '😀'] });
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Hello!' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      chat_id: expect.any(String),
      user_id: 'alice',
      content: 'Hi there, Alice! 😀',
      status: 'COMPLETE',
      finish_reason: 'stop',
    });
    const page = await storedMessages(t().app.core, { userId: 'alice', chatId: response.body.chat_id });
    expect(page.items.map((m) => [m.role, m.content, m.status])).toEqual([
      ['SYSTEM', 'You are a helpful assistant.', 'COMPLETE'],
      ['USER', 'Hello!', 'COMPLETE'],
      ['ASSISTANT', 'Hi there, Alice! 😀', 'COMPLETE'],
    ]);
    const reply = page.items[2]!;
    expect(reply.finishReason).toBe('stop');
    expect(reply.tokenCount).toBeGreaterThan(3);
    // The fake reports usage exactly as OpenAI computes it: our stored counts must agree.
    const systemAndUser = page.items[0]!.tokenCount + page.items[1]!.tokenCount + 3;
    expect(reply.usage).toEqual({ promptTokens: systemAndUser, completionTokens: expect.any(Number) });
  });

  it('continues a chat: the upstream receives the whole history in order', async () => {
    const first = await t().postJson('/chat', { user_id: 'alice', user_message: 'My name is Alice.' });
    t().openai!.reply({ text: 'Nice to meet you.' });
    const before = t().openai!.requests.length;
    const second = await t().postJson('/chat', { chat_id: first.body.chat_id, user_id: 'alice', user_message: 'What is my name?' });

    expect(second.status).toBe(200);
    expect(second.body.chat_id).toBe(first.body.chat_id);
    const sent = t().openai!.requests[before]!.body;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'My name is Alice.' },
      { role: 'assistant', content: first.body.content },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('round-trips 4-byte UTF-8 byte-exact', async () => {
    const text = 'Emoji 👩🏽‍💻🇵🇹 𝄞 and a lone astral 🎉 — ok';
    t().openai!.reply({ text });
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: text });
    expect(response.body.content).toBe(text);
    const stored = await storedMessages(t().app.core, { userId: 'alice', chatId: response.body.chat_id });
    expect(stored.items.map((m) => Buffer.from(m.content).toString('hex'))).toContain(Buffer.from(text).toString('hex'));
    expect(stored.items.filter((m) => m.content === text)).toHaveLength(2);
  });

  it.each([
    ['no authorization header', undefined],
    ['a wrong token', 'Bearer not-the-token'],
    ['a token with a suffix', `${SERVICE_TOKEN}x`],
  ])('refuses %s with 401 and stores nothing', async (_name, authorization) => {
    const headers: Record<string, string> = authorization === undefined ? { authorization: '' } : { authorization };
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Hello' }, headers);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(await countRows(t().store, 'chats')).toBe(0);
  });

  it('accepts the token without the Bearer prefix, as the original service did', async () => {
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Hello' }, { authorization: SERVICE_TOKEN });
    expect(response.status).toBe(200);
  });

  it("reports another user's chat exactly like one that does not exist", async () => {
    const alices = await t().postJson('/chat', { user_id: 'alice', user_message: 'secret' });
    const asBob = await t().postJson('/chat', { chat_id: alices.body.chat_id, user_id: 'bob', user_message: 'let me in' });
    const missing = await t().postJson('/chat', { chat_id: '00000000-0000-4000-8000-000000000000', user_id: 'bob', user_message: 'let me in' });

    expect(asBob.status).toBe(404);
    expect(asBob.body).toEqual(missing.body);
    expect(asBob.body.error.code).toBe('NOT_FOUND');
    expect(await countRows(t().store, 'messages')).toBe(3);
  });

  const raw = async (body: string, contentType: string) => {
    const response = await fetch(`${t().httpUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${SERVICE_TOKEN}` },
      body,
    });
    return { status: response.status, body: await response.json() };
  };

  it.each([
    ['an empty message', { user_id: 'alice', user_message: '' }, 400, 'INVALID_INPUT'],
    ['a whitespace message', { user_id: 'alice', user_message: ' \n\t ' }, 400, 'INVALID_INPUT'],
    ['a missing user_id', { user_message: 'hi' }, 400, 'INVALID_INPUT'],
    ['a non-string message', { user_id: 'alice', user_message: 42 }, 400, 'INVALID_INPUT'],
    ['an unknown chat_id', { chat_id: 'no-such-chat', user_id: 'alice', user_message: 'hi' }, 404, 'NOT_FOUND'],
  ])('refuses %s with a stable code and stores nothing', async (_name, body, status, code) => {
    const response = await t().postJson('/chat', body);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
    expect(await countRows(t().store, 'messages')).toBe(0);
    expect(t().openai!.requests.filter((r) => JSON.stringify(r.body).includes('"hi"'))).toHaveLength(0);
  });

  it('refuses malformed JSON, a wrong content type and an oversized body', async () => {
    expect(await raw('{"user_id": "alice", ', 'application/json')).toEqual({
      status: 400,
      body: { error: { code: 'INVALID_INPUT', message: expect.any(String) } },
    });
    expect(await raw('user_id=alice&user_message=hi', 'text/plain')).toEqual({
      status: 415,
      body: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('application/json') } },
    });
    const huge = JSON.stringify({ user_id: 'alice', user_message: 'x'.repeat(300 * 1024) });
    expect(await raw(huge, 'application/json')).toEqual({
      status: 413,
      body: { error: { code: 'MESSAGE_TOO_LARGE', message: expect.any(String) } },
    });
    expect(await countRows(t().store, 'messages')).toBe(0);
  });

  it('maps an upstream 5xx to 502 UPSTREAM_UNAVAILABLE, keeps the user message and marks no reply COMPLETE', async () => {
    t().openai!.reply({ error: { status: 500 } });
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Are you there?' });

    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|sk-test/);
    const [chat] = (await t().app.core.listChats({ userId: 'alice' })).items;
    const messages = (await storedMessages(t().app.core, { userId: 'alice', chatId: chat!.id })).items;
    expect(messages.find((m) => m.role === 'USER')?.content).toBe('Are you there?');
    expect(messages.find((m) => m.role === 'ASSISTANT')?.status).toBe('FAILED');
  });

  it('answers 429 RATE_LIMITED when the upstream rate-limits', async () => {
    t().openai!.reply({ error: { status: 429 } });
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Hi' });
    expect(response.status).toBe(429);
    expect(response.body.error.code).toBe('RATE_LIMITED');
  });
});

describe.each(storeEngines())('POST /chat with an unreachable upstream on %s', (engine) => {
  const t = useTestApp(engine, {
    openai: false,
    env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-test', OPENAI_MAX_RETRIES: '0' },
  });

  it('answers 502 and keeps the user message', async () => {
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'Anyone?' });
    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    const [chat] = (await t().app.core.listChats({ userId: 'alice' })).items;
    const messages = (await storedMessages(t().app.core, { userId: 'alice', chatId: chat!.id })).items;
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ['SYSTEM', 'COMPLETE'],
      ['USER', 'COMPLETE'],
      ['ASSISTANT', 'FAILED'],
    ]);
  });
});

describe.each(storeEngines())('the context window with MODEL_MAX_TOKENS=200 on %s', (engine) => {
  const t = useTestApp(engine, { env: { MODEL_MAX_TOKENS: '200', MAX_TOKENS: '50', MODEL: 'gpt-4o' } });

  it('never sends more than the window minus the reply budget, system prompt first, and keeps erased messages listable', async () => {
    const fake = t().openai!;
    fake.replyAlways({ text: 'Noted, thank you for the detail.' });
    const before = fake.requests.length;
    let chatId: string | undefined;
    for (let i = 1; i <= 12; i++) {
      const response = await t().postJson('/chat', {
        chat_id: chatId,
        user_id: 'alice',
        user_message: `Message number ${i}: here is a sentence with a handful of words to use up tokens.`,
      });
      expect(response.status).toBe(200);
      chatId = response.body.chat_id;
    }

    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(12);
    for (const request of sent) {
      expect(request.body.max_tokens).toBe(50);
      expect(request.body.messages[0]).toEqual({ role: 'system', content: 'You are a helpful assistant.' });
    }
    const messages = (await storedMessages(t().app.core, { userId: 'alice', chatId: chatId!, includeErased: true, first: 100 })).items;
    const replies = messages.filter((m) => m.role === 'ASSISTANT');
    // usage.prompt_tokens is what the fake (like OpenAI) counted for each request.
    for (const reply of replies) expect(reply.usage!.promptTokens + 50).toBeLessThanOrEqual(200);
    expect(sent.at(-1)!.body.messages.length).toBeLessThan(25);

    const erased = messages.filter((m) => m.erased);
    expect(erased.length).toBeGreaterThan(0);
    expect(erased[0]!.content).toContain('Message number 1:');
    expect(erased.every((m) => m.role !== 'SYSTEM')).toBe(true);
    const visible = (await storedMessages(t().app.core, { userId: 'alice', chatId: chatId!, first: 100 })).items;
    expect(visible).toHaveLength(messages.length - erased.length);
    const lastContents = sent.at(-1)!.body.messages.map((m) => m.content);
    for (const m of erased.filter((e) => e.role === 'USER')) expect(lastContents).not.toContain(m.content);
  });

  it('refuses a message that can never fit with 413 MESSAGE_TOO_LARGE and stores nothing', async () => {
    const response = await t().postJson('/chat', { user_id: 'alice', user_message: 'word '.repeat(200) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('MESSAGE_TOO_LARGE');
    expect(await countRows(t().store, 'chats')).toBe(0);
    expect(await countRows(t().store, 'messages')).toBe(0);
  });
});

describe('POST /chat on the offline stand-in', () => {
  it('answers without any account and shows it received the earlier messages', async () => {
    const t = await startTestApp('sqlite', { openai: false });
    try {
      const first = await t.postJson('/chat', { user_id: 'alice', user_message: 'Hello' });
      expect(first.status).toBe(200);
      expect(first.body.content).toContain('I received 2 messages');
      const second = await t.postJson('/chat', { chat_id: first.body.chat_id, user_id: 'alice', user_message: 'Again' });
      expect(second.body.content).toContain('I received 4 messages');
    } finally {
      await t.stop();
    }
  });
});

describe('POST /chat with the original service’s sampling settings', () => {
  const t = useTestApp('sqlite', {
    env: { MODEL: 'gpt-3.5-turbo', TEMPERATURE: '0.1', TOP_P: '0.9', STOP: 'step', MAX_TOKENS: '300', INITIAL_CHAT_MESSAGE: 'You are a terse assistant.' },
  });

  it('sends the configured model, system prompt and sampling parameters upstream', async () => {
    const before = t().openai!.requests.length;
    expect((await t().postJson('/chat', { user_id: 'alice', user_message: 'Hi' })).status).toBe(200);
    expect(t().openai!.requests[before]!.body).toMatchObject({
      model: 'gpt-3.5-turbo',
      messages: [
        { role: 'system', content: 'You are a terse assistant.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.1,
      top_p: 0.9,
      stop: ['step'],
      max_tokens: 300,
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});
