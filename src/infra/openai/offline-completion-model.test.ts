import { describe, expect, it } from 'vitest';
import type { ChatConfig } from '../../domain/chat-config.js';
import { ModelCatalog } from '../../domain/models.js';
import type { CompletionChunk, CompletionMessage, CompletionRequest } from '../../use-cases/ports.js';
import { TiktokenCounter } from '../tokenizer/tiktoken-counter.js';
import { OfflineCompletionModel } from './offline-completion-model.js';

const tokens = new TiktokenCounter();
const catalog = new ModelCatalog({ unknownModelWindow: 8192 });
const CONFIG: ChatConfig = {
  temperature: 1,
  topP: 1,
  maxTokens: 512,
  stop: [],
  presencePenalty: 0,
  frequencyPenalty: 0,
  contextStrategy: 'TRUNCATE',
};

function requestFor(messages: CompletionMessage[], overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  const model = catalog.resolve('gpt-4o-mini').spec;
  return { model, messages, config: CONFIG, signal: new AbortController().signal, ...overrides };
}

async function collect(stream: AsyncIterable<CompletionChunk>): Promise<CompletionChunk[]> {
  const chunks: CompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: CompletionChunk[]) => chunks.map((c) => (c.type === 'delta' ? c.text : '')).join('');

describe('OfflineCompletionModel', () => {
  it('describes itself as the offline stand-in', () => {
    expect(new OfflineCompletionModel({ tokens }).description).toMatch(/offline stand-in/);
  });

  it('streams a reply describing what it received, with the exact prompt token count', async () => {
    // 3 per message + 'user' (1) + 'tiktoken is great!' (6, per OpenAI's cookbook) + 3 reply priming.
    const chunks = await collect(
      new OfflineCompletionModel({ tokens }).stream(requestFor([{ role: 'user', content: 'tiktoken is great!' }])),
    );

    expect(textOf(chunks)).toBe(
      'Offline stand-in reply: I received 1 message (13 prompt tokens) for model gpt-4o-mini. ' +
        'Your last message was 18 characters long. Set OPENAI_API_KEY or OPENAI_BASE_URL to talk to a real model.',
    );
    expect(chunks.filter((c) => c.type === 'delta').length).toBeGreaterThan(5);
  });

  it('finishes with stop and the usage the API would bill: prompt and reply tokens', async () => {
    const messages: CompletionMessage[] = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello!' },
      { role: 'assistant', content: 'Hi, how can I help?' },
      { role: 'user', content: 'Tell me a joke 😀' },
    ];
    const count = (text: string) => tokens.count(text, 'o200k_base');
    const expectedPrompt = 3 + messages.reduce((sum, m) => sum + 3 + count(m.role) + count(m.content), 0);

    const chunks = await collect(new OfflineCompletionModel({ tokens }).stream(requestFor(messages)));

    const text = textOf(chunks);
    expect(text).toContain(`I received 4 messages (${expectedPrompt} prompt tokens)`);
    expect(text).toContain('Your last message was 16 characters long');
    expect(chunks.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: expectedPrompt, completionTokens: count(text) },
    });
  });

  it('gives the same stream for the same request', async () => {
    const model = new OfflineCompletionModel({ tokens });
    const messages: CompletionMessage[] = [{ role: 'user', content: 'Same again' }];

    const first = await collect(model.stream(requestFor(messages)));
    const second = await collect(model.stream(requestFor(messages)));

    expect(second).toEqual(first);
  });

  it('answers a non-streaming call with the text and usage the stream would give', async () => {
    const model = new OfflineCompletionModel({ tokens });
    const messages: CompletionMessage[] = [{ role: 'user', content: 'Summarise this' }];
    const chunks = await collect(model.stream(requestFor(messages)));
    const finish = chunks.at(-1)!;

    expect(await model.complete(requestFor(messages))).toEqual({
      text: chunks.flatMap((c) => (c.type === 'delta' ? [c.text] : [])).join(''),
      finishReason: finish.type === 'finish' && finish.finishReason,
      usage: finish.type === 'finish' && finish.usage,
    });
  });

  it('stops at the reply budget with finish reason length', async () => {
    const chunks = await collect(
      new OfflineCompletionModel({ tokens }).stream(
        requestFor([{ role: 'user', content: 'Hi' }], { config: { ...CONFIG, maxTokens: 5 } }),
      ),
    );

    const finish = chunks.at(-1);
    const completionTokens = tokens.count(textOf(chunks), 'o200k_base');
    expect(finish).toEqual({ type: 'finish', finishReason: 'length', usage: { promptTokens: 8, completionTokens } });
    expect(completionTokens).toBeLessThanOrEqual(5);
    expect(completionTokens).toBeGreaterThan(0);
  });

  it('stops quietly between deltas once the signal aborts', async () => {
    const controller = new AbortController();
    const model = new OfflineCompletionModel({ tokens, delayMs: 5 });
    const chunks: CompletionChunk[] = [];

    const request = requestFor([{ role: 'user', content: 'Hi' }], { signal: controller.signal });

    for await (const chunk of model.stream(request)) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }

    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => c.type === 'delta')).toBe(true);
  });
});
