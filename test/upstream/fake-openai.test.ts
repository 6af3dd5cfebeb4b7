import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import { FakeOpenAI, splitWords } from '../support/fake-openai.js';

// The fake is the yardstick of every upstream test: these pin its wire format
// to what OpenAI's Chat Completions API sends.
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await FakeOpenAI.start({ tokens: new TiktokenCounter() });
});

afterAll(async () => {
  await fake.close();
});

/** `path` is relative to the server's root; fake.url itself ends in /v1. */
const post = (path: string, body: unknown) =>
  fetch(new URL(path, fake.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const events = (sse: string) => sse.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));

describe('FakeOpenAI', () => {
  it('streams chunks, a finish chunk, a usage chunk with no choices, then [DONE] (on the path without /v1 too)', async () => {
    fake.reply({ deltas: ['Hi', ' there'] });

    const response = await post('/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'tiktoken is great!' }],
      stream: true,
      stream_options: { include_usage: true },
    });

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = events(await response.text());
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: chunks[0].id, object: 'chat.completion.chunk', model: 'gpt-4o-mini' });
      expect(typeof chunk.created).toBe('number');
    }
    expect(chunks.map((c) => c.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: 'Hi' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: ' there' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
      [],
    ]);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    // 3 per message + 'user' (1) + 'tiktoken is great!' (6, per OpenAI's cookbook) + 3 reply priming.
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 2, total_tokens: 15 });
  });

  it('sends no usage field without stream_options.include_usage', async () => {
    fake.reply({ text: 'Hi' });

    const response = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [], stream: true });

    const chunks = events(await response.text()).slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('answers a non-streaming request with one chat.completion', async () => {
    fake.reply({ text: 'Whole reply' });

    const response = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
    });

    expect(await response.json()).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Whole reply' }, finish_reason: 'stop' }],
      usage: { completion_tokens: 2 },
    });
  });

  it("answers a scripted error with OpenAI's error body", async () => {
    fake.reply({ error: { status: 429 } });

    const response = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [] });

    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('answers unknown paths with 404 and records every request with its parsed body', async () => {
    const before = fake.requests.length;

    const response = await post('/v1/embeddings', { input: 'x' });

    expect(response.status).toBe(404);
    expect(fake.requests[before]).toMatchObject({ method: 'POST', path: '/v1/embeddings', body: { input: 'x' } });
  });

  it('lets a handler decide per request', async () => {
    fake.reply((request) => ({ text: `You sent ${request.body.messages.length} messages` }));

    const response = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'a' }],
    });

    expect((await response.json()).choices[0].message.content).toBe('You sent 1 messages');
  });

  it('splits text into word-sized deltas that join back into it', () => {
    expect(splitWords('Hello from  the fake.')).toEqual(['Hello', ' from', '  the', ' fake.']);
  });
});
