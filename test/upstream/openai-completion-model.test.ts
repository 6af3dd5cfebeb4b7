import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatConfig } from '../../src/domain/chat-config.js';
import { DomainError } from '../../src/domain/errors.js';
import { ModelCatalog } from '../../src/domain/models.js';
import { messageTokens, promptTokens } from '../../src/domain/token-rules.js';
import {
  OpenAICompletionModel,
  type OpenAICompletionModelOptions,
} from '../../src/infra/openai/openai-completion-model.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import type { CompletionChunk, CompletionMessage, CompletionRequest } from '../../src/use-cases/ports.js';
import { FakeOpenAI } from '../support/fake-openai.js';

const API_KEY = 'sk-test-secret-key-0123456789';
const catalog = new ModelCatalog({ unknownModelWindow: 8192 });
const tokens = new TiktokenCounter();

const CONFIG: ChatConfig = {
  temperature: 0.7,
  topP: 0.9,
  maxTokens: 256,
  stop: [],
  presencePenalty: 0.5,
  frequencyPenalty: 0.25,
  contextStrategy: 'TRUNCATE',
};

const MESSAGES: CompletionMessage[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Say hello.' },
];

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await FakeOpenAI.start({ tokens });
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.requests.length = 0;
});

function modelFor(options: OpenAICompletionModelOptions = {}) {
  return new OpenAICompletionModel({ apiKey: API_KEY, baseURL: fake.url, maxRetries: 0, ...options });
}

function requestFor(model = 'gpt-4o-mini', overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    model: catalog.resolve(model).spec,
    messages: MESSAGES,
    config: CONFIG,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Everything a stream produced, and how it ended. */
async function collect(stream: AsyncIterable<CompletionChunk>) {
  const chunks: CompletionChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
    return { chunks, deltas: deltasOf(chunks), error: undefined };
  } catch (error) {
    return { chunks, deltas: deltasOf(chunks), error };
  }
}

const deltasOf = (chunks: CompletionChunk[]) => chunks.flatMap((c) => (c.type === 'delta' ? [c.text] : []));

function expectDomainError(error: unknown, code: string): DomainError {
  expect(error).toBeInstanceOf(DomainError);
  const domainError = error as DomainError;
  expect(domainError.code).toBe(code);
  expect(domainError.message).not.toContain('127.0.0.1');
  expect(domainError.message).not.toContain('sk-');
  return domainError;
}

describe('OpenAICompletionModel against an OpenAI-compatible server', () => {
  it('streams the deltas in order, then one finish with the reason and the usage', async () => {
    fake.reply({ deltas: ['Hel', 'lo', ', wor', 'ld!'] });

    const { chunks, error } = await collect(modelFor().stream(requestFor()));

    expect(error).toBeUndefined();
    const count = (text: string) => tokens.count(text, 'o200k_base');
    expect(chunks).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'delta', text: ', wor' },
      { type: 'delta', text: 'ld!' },
      {
        type: 'finish',
        finishReason: 'stop',
        usage: {
          promptTokens: promptTokens([
            messageTokens({ role: 'SYSTEM', content: 'You are a helpful assistant.' }, count),
            messageTokens({ role: 'USER', content: 'Say hello.' }, count),
          ]),
          completionTokens: count('Hello, world!'),
          // The fake reports the details OpenAI sends, as zeros.
          cachedPromptTokens: 0,
          reasoningTokens: 0,
        },
      },
    ]);
  });

  it('answers a non-streaming call with the whole text, the finish reason and the usage', async () => {
    fake.reply({ text: 'A short summary.' });
    const completion = await modelFor().complete(requestFor());
    const count = (text: string) => tokens.count(text, 'o200k_base');

    expect(fake.requests.at(-1)!.body.stream).toBe(false);
    expect(completion).toEqual({
      text: 'A short summary.',
      finishReason: 'stop',
      usage: {
        promptTokens: promptTokens([
          messageTokens({ role: 'SYSTEM', content: 'You are a helpful assistant.' }, count),
          messageTokens({ role: 'USER', content: 'Say hello.' }, count),
        ]),
        completionTokens: count('A short summary.'),
        cachedPromptTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('reports a failed non-streaming call with the same stable codes', async () => {
    fake.reply({ error: { status: 429 } });
    await expect(modelFor().complete(requestFor())).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('asks for a stream with usage and sends the sampling parameters of a non-reasoning model', async () => {
    fake.reply({});

    await collect(modelFor().stream(requestFor('gpt-4o')));

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toEqual({
      model: 'gpt-4o',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 256,
      presence_penalty: 0.5,
      frequency_penalty: 0.25,
    });
  });

  it('sends every message exactly, turn after turn, when the same message objects come again', async () => {
    const tricky: CompletionMessage = { role: 'assistant', content: 'Quotes " and \\ backslash,\nnew line, tab\t, emoji 🦊, </script> and \u2028.' };
    const earlier = [...MESSAGES, tricky];
    const later = [...earlier, { role: 'user' as const, content: 'And then?' }];
    fake.reply({});
    fake.reply({});

    await collect(modelFor().stream(requestFor('gpt-4o', { messages: earlier })));
    await collect(modelFor().stream(requestFor('gpt-4o', { messages: later })));

    expect(fake.requests.map((request) => request.body.messages)).toEqual([earlier, later]);
  });

  it('sends the stop sequences when there are some', async () => {
    fake.reply({});

    await collect(modelFor().stream(requestFor('gpt-4o', { config: { ...CONFIG, stop: ['END', '###'] } })));

    expect(fake.requests[0]?.body.stop).toEqual(['END', '###']);
  });

  it.each(['o3', 'gpt-5', 'o4-mini-2025-04-16'])(
    'sends max_completion_tokens and no temperature, top_p, penalties or stop to the reasoning model %s',
    async (model) => {
      fake.reply({});

      await collect(modelFor().stream(requestFor(model, { config: { ...CONFIG, stop: ['END'] } })));

      expect(fake.requests[0]?.body).toEqual({
        model,
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 256,
      });
    },
  );

  it('passes on the finish reason of a reply cut by the token budget', async () => {
    fake.reply({ text: 'A truncated', finishReason: 'length' });

    const { chunks } = await collect(modelFor().stream(requestFor()));

    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
  });

  it('finishes with null usage when the server sends no usage chunk', async () => {
    fake.reply({ text: 'Hi', usage: null });

    const { chunks, error } = await collect(modelFor().stream(requestFor()));

    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'delta', text: 'Hi' },
      { type: 'finish', finishReason: 'stop', usage: null },
    ]);
  });

  it('reports a 500 as UPSTREAM_UNAVAILABLE with a safe message and the details in cause', async () => {
    fake.reply({ error: { status: 500, message: 'internal detail from upstream' } });

    const { chunks, error } = await collect(modelFor().stream(requestFor()));

    expect(chunks).toEqual([]);
    const domainError = expectDomainError(error, 'UPSTREAM_UNAVAILABLE');
    expect(domainError.message).not.toContain('internal detail');
    expect(String(domainError.cause)).toContain('internal detail from upstream');
  });

  it('reports a 429 as RATE_LIMITED', async () => {
    fake.reply({ error: { status: 429 } });

    const { error } = await collect(modelFor().stream(requestFor()));

    expectDomainError(error, 'RATE_LIMITED');
  });

  it('reports a rejected key (401) as UPSTREAM_UNAVAILABLE without echoing the key', async () => {
    fake.reply({ error: { status: 401, message: `Incorrect API key provided: ${API_KEY}.` } });

    const { error } = await collect(modelFor().stream(requestFor()));

    expect(expectDomainError(error, 'UPSTREAM_UNAVAILABLE').message).not.toContain(API_KEY);
  });

  it('reports context_length_exceeded (400) as UPSTREAM_UNAVAILABLE with a message that says why', async () => {
    fake.reply({ error: { status: 400 } });

    const { error } = await collect(modelFor().stream(requestFor()));

    expect(expectDomainError(error, 'UPSTREAM_UNAVAILABLE').message).toMatch(/too long/);
  });

  it('reports a server that refuses connections as UPSTREAM_UNAVAILABLE', async () => {
    const gone = await FakeOpenAI.start({ tokens });
    await gone.close();

    const model = new OpenAICompletionModel({ apiKey: API_KEY, baseURL: gone.url, maxRetries: 0 });
    const { error } = await collect(model.stream(requestFor()));

    expectDomainError(error, 'UPSTREAM_UNAVAILABLE');
  });

  it('lets the SDK retry a failure that happened before the first byte', async () => {
    fake.reply({ error: { status: 503, headers: { 'retry-after-ms': '10' } } }, { text: 'Recovered' });

    const { deltas, error } = await collect(modelFor({ maxRetries: 1 }).stream(requestFor()));

    expect(error).toBeUndefined();
    expect(deltas).toEqual(['Recovered']);
    expect(fake.requests).toHaveLength(2);
  });

  it('yields the deltas received before the connection died, then fails with UPSTREAM_UNAVAILABLE', async () => {
    fake.reply({ deltas: ['One', ' two', ' three', ' four'], dropAfterDeltas: 2 });

    const { chunks, error } = await collect(modelFor().stream(requestFor()));

    expect(chunks).toEqual([
      { type: 'delta', text: 'One' },
      { type: 'delta', text: ' two' },
    ]);
    expectDomainError(error, 'UPSTREAM_UNAVAILABLE');
    expect(await fake.requests[0]?.outcome).toBe('dropped');
  });

  it('fails with UPSTREAM_UNAVAILABLE when the stream ends without a finish reason', async () => {
    fake.reply({ text: 'Half a', finishReason: null });

    const { deltas, error } = await collect(modelFor().stream(requestFor()));

    expect(deltas).toEqual(['Half', ' a']);
    expectDomainError(error, 'UPSTREAM_UNAVAILABLE');
  });

  it('stops quietly when the request is aborted mid-stream, and the server sees the request closed', async () => {
    fake.reply({ deltas: ['First', ' second'], pauseAfterDeltas: 1 });
    const controller = new AbortController();
    const chunks: CompletionChunk[] = [];

    for await (const chunk of modelFor().stream(requestFor('gpt-4o-mini', { signal: controller.signal }))) {
      chunks.push(chunk);
      controller.abort();
    }

    expect(chunks).toEqual([{ type: 'delta', text: 'First' }]);
    expect(await fake.requests[0]?.outcome).toBe('aborted');
  });

  it('stops quietly when the request is aborted before the server answered', async () => {
    fake.reply({ hang: true });
    const controller = new AbortController();

    const result = collect(modelFor().stream(requestFor('gpt-4o-mini', { signal: controller.signal })));
    const request = await fake.waitForRequest(0);
    controller.abort();

    expect(await result).toEqual({ chunks: [], deltas: [], error: undefined });
    expect(await request.outcome).toBe('aborted');
  });

  it('closes the upstream request when the consumer stops reading', async () => {
    fake.reply({ deltas: ['First', ' second'], pauseAfterDeltas: 1 });

    for await (const chunk of modelFor().stream(requestFor())) {
      expect(chunk).toEqual({ type: 'delta', text: 'First' });
      break;
    }

    expect(await fake.requests[0]?.outcome).toBe('aborted');
  });

  it('fails with UPSTREAM_UNAVAILABLE when the server does not answer within the timeout', async () => {
    fake.reply({ hang: true });

    const { error } = await collect(modelFor({ timeoutMs: 200 }).stream(requestFor()));

    expect(expectDomainError(error, 'UPSTREAM_UNAVAILABLE').message).toMatch(/in time/);
  });

  it('fails with UPSTREAM_UNAVAILABLE when the stream goes silent for longer than the timeout', async () => {
    fake.reply({ deltas: ['Still', ' there?'], pauseAfterDeltas: 1 });

    const { deltas, error } = await collect(modelFor({ timeoutMs: 300 }).stream(requestFor()));

    expect(deltas).toEqual(['Still']);
    expect(expectDomainError(error, 'UPSTREAM_UNAVAILABLE').message).toMatch(/stopped responding/);
    expect(await fake.requests[0]?.outcome).toBe('aborted');
  });

  it('does not count the time its consumer spends on a delta as upstream silence', async () => {
    fake.reply({ deltas: ['Slow', ' reader'] });
    const deltas: string[] = [];

    for await (const chunk of modelFor({ timeoutMs: 100 }).stream(requestFor())) {
      if (chunk.type === 'delta') deltas.push(chunk.text);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    expect(deltas).toEqual(['Slow', ' reader']);
  });
});
