import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatConfig } from '../../src/domain/chat-config.js';
import { DomainError } from '../../src/domain/errors.js';
import { ModelCatalog } from '../../src/domain/models.js';
import { OpenAICompletionModel, type OpenAICompletionModelOptions } from '../../src/infra/openai/openai-completion-model.js';
import type { CompletionChunk, CompletionRequest } from '../../src/use-cases/ports.js';

/**
 * OpenAICompletionModel.stream reads the SSE body itself (eventsource-parser
 * over the SDK's response). These tests drive it with a server that writes
 * raw bytes, step by step, each write its own TCP segment: events split
 * mid-line and mid-character, CRLF line endings, comments, error events,
 * malformed and ill-typed chunks, stalls, drops and aborts.
 */

type Step = string | Buffer | { wait: number } | 'drop' | 'hang' | 'end';

interface Exchange {
  readonly body: string;
  /** 'completed': the whole script was sent; 'aborted': the client went away first; 'dropped': the script cut it. */
  readonly outcome: Promise<'completed' | 'aborted' | 'dropped'>;
}

class RawSseServer {
  readonly exchanges: Exchange[] = [];
  readonly sockets = new Set<Socket>();
  connections = 0;
  private readonly scripts: Step[][] = [];

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<RawSseServer> {
    const server = createServer({ noDelay: true, keepAliveTimeout: 10_000 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const raw = new RawSseServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    server.on('connection', (socket: Socket) => {
      raw.connections += 1;
      raw.sockets.add(socket);
      socket.on('close', () => raw.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void raw.handle(req, res));
    return raw;
  }

  /** The next request is answered with these steps, after a 200 text/event-stream head. */
  script(...steps: Step[]): void {
    this.scripts.push(steps);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const part of req) body += String(part);
    let dropped = false;
    const outcome = new Promise<'completed' | 'aborted' | 'dropped'>((resolve) =>
      res.on('close', () => resolve(dropped ? 'dropped' : res.writableFinished ? 'completed' : 'aborted')),
    );
    this.exchanges.push({ body, outcome });
    const steps = this.scripts.shift() ?? [];
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    for (const step of steps) {
      if (res.destroyed) return;
      if (step === 'hang') return;
      if (step === 'end') break;
      if (step === 'drop') {
        dropped = true;
        res.socket?.destroy();
        return;
      }
      if (typeof step === 'object' && 'wait' in step) {
        await new Promise((resolve) => setTimeout(resolve, step.wait));
        continue;
      }
      // Each write flushed and followed by a pause: its own TCP segment, its own body chunk.
      await new Promise<void>((resolve) => res.write(step, () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    res.end();
  }
}

const chunk = (choice: object | null, extra: object = {}) =>
  JSON.stringify({
    id: 'chatcmpl-raw',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: choice === null ? [] : [{ index: 0, logprobs: null, finish_reason: null, ...choice }],
    usage: null,
    ...extra,
  });
const delta = (content: string) => chunk({ delta: { content } });
const finish = (reason = 'stop') => chunk({ delta: {}, finish_reason: reason });
const usage = (prompt: number, completion: number) =>
  chunk(null, { usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } });
const event = (data: string, eol = '\n') => `data: ${data}${eol}${eol}`;

const CONFIG: ChatConfig = { temperature: 1, topP: 1, maxTokens: 64, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' };
const catalog = new ModelCatalog({ unknownModelWindow: 8192 });

let server: RawSseServer;

beforeAll(async () => {
  server = await RawSseServer.start();
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  server.exchanges.length = 0;
});

/** Which transport the SDK uses: the adapter's default (node:http, Node stream bodies) or undici's fetch (WHATWG bodies). */
let transport: Pick<OpenAICompletionModelOptions, 'fetch'> = {};

function model(options: OpenAICompletionModelOptions = {}) {
  return new OpenAICompletionModel({ apiKey: 'sk-raw-test', baseURL: server.url, maxRetries: 0, ...transport, ...options });
}

function request(signal: AbortSignal = new AbortController().signal): CompletionRequest {
  return { model: catalog.resolve('gpt-4o-mini').spec, messages: [{ role: 'user', content: 'Hi' }], config: CONFIG, signal };
}

async function collect(stream: AsyncIterable<CompletionChunk>) {
  const chunks: CompletionChunk[] = [];
  try {
    for await (const c of stream) chunks.push(c);
    return { chunks, text: textOf(chunks), error: undefined as unknown };
  } catch (error) {
    return { chunks, text: textOf(chunks), error };
  }
}

const textOf = (chunks: CompletionChunk[]) => chunks.map((c) => (c.type === 'delta' ? c.text : '')).join('');

function expectUpstreamUnavailable(error: unknown, message: RegExp): DomainError {
  expect(error).toBeInstanceOf(DomainError);
  const domainError = error as DomainError;
  expect(domainError.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(domainError.message).toMatch(message);
  return domainError;
}

/** Cuts a string's UTF-8 bytes into pieces at the given byte offsets. */
function bytesAt(text: string, ...offsets: number[]): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
}

describe.each([
  ['node:http (the default)', {}],
  ["undici's fetch", { fetch: globalThis.fetch }],
] as const)('the upstream SSE stream, read without the SDK stream parser, over %s', (_, options) => {
  beforeAll(() => {
    transport = options;
  });

  it('assembles events split across TCP chunks: mid-field, mid-JSON, between the two newlines', async () => {
    const whole = event(chunk({ delta: { role: 'assistant', content: '' } })) + event(delta('Hello')) + event(delta(', world')) + event(finish()) + event(usage(9, 3)) + 'data: [DONE]\n\n';
    // Cut everywhere awkward: inside "data:", inside the JSON, between "\n" and "\n".
    const cuts = [3, 40, whole.indexOf('Hello') + 2, whole.indexOf('\n\n', whole.indexOf('Hello')) + 1, whole.length - 8, whole.length - 1];
    server.script(...bytesAt(whole, ...cuts));

    const { chunks, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'delta', text: 'Hello' },
      { type: 'delta', text: ', world' },
      { type: 'finish', finishReason: 'stop', usage: { promptTokens: 9, completionTokens: 3 } },
    ]);
  });

  it('reads one byte per TCP chunk', async () => {
    const whole = event(delta('Tiny')) + event(delta(' steps')) + event(finish('length')) + 'data: [DONE]\n\n';
    server.script(...bytesAt(whole, ...Array.from({ length: whole.length - 1 }, (_, i) => i + 1)));

    const { chunks, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(textOf(chunks)).toBe('Tiny steps');
    expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'length', usage: null });
  });

  it('decodes multi-byte UTF-8 characters split across TCP chunks', async () => {
    const text = 'Füchse 🦊 und 漢字';
    const whole = event(delta(text)) + event(finish()) + 'data: [DONE]\n\n';
    const bytes = Buffer.from(whole, 'utf8');
    const fox = bytes.indexOf(Buffer.from('🦊'));
    const kanji = bytes.indexOf(Buffer.from('漢'));
    const umlaut = bytes.indexOf(Buffer.from('ü'));
    // Inside the 2-byte ü, between the 4 bytes of the emoji (1+3 and 2+2), inside the 3-byte kanji.
    server.script(...bytesAt(whole, umlaut + 1, fox + 1, fox + 2, kanji + 2));

    const { text: received, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(received).toBe(text);
  });

  it('accepts CRLF and CR line endings, even with the CR and the LF in different chunks', async () => {
    const crlf = event(delta('Carriage'), '\r\n') + event(delta(' return'), '\r\n');
    const cr = `data: ${delta(' only')}\r\r`;
    const whole = crlf + cr + event(finish(), '\r\n') + 'data: [DONE]\r\n\r\n';
    const split = whole.indexOf('\r\n') + 1;
    server.script(...bytesAt(whole, split, crlf.length + 3, crlf.length + cr.length - 1));

    const { chunks, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(textOf(chunks)).toBe('Carriage return only');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('skips comments and keep-alives, events without data and unknown fields', async () => {
    server.script(
      ': OPENROUTER PROCESSING\n\n',
      event(delta('Kept')),
      ':\n\n',
      'event: ping\n\n',
      'retry: 1000\nid: 7\nfoo: bar\n\n',
      `: keep-alive\ndata: ${delta(' alive')}\n\n`,
      event(finish()),
      'data: [DONE]\n\n',
    );

    const { text, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(text).toBe('Kept alive');
  });

  it('joins a chunk sent on several data lines, and ignores a byte-order mark', async () => {
    const json = delta('Multi-line');
    // The newline that joins the data lines is JSON whitespace after a comma.
    const middle = json.indexOf(',') + 1;
    server.script(`\uFEFFdata: ${json.slice(0, middle)}\ndata: ${json.slice(middle)}\n\n`, event(finish()), 'data: [DONE]\n\n');

    const { text, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(text).toBe('Multi-line');
  });

  it('ignores whatever follows [DONE]', async () => {
    server.script(event(delta('Done')), event(finish()), 'data: [DONE]\n\n', event(delta(' and more')), 'data: {not json\n\n');

    const { chunks, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(chunks).toEqual([{ type: 'delta', text: 'Done' }, { type: 'finish', finishReason: 'stop', usage: null }]);
  });

  it('keeps the first valid usage when a later chunk carries an invalid one', async () => {
    server.script(
      event(delta('Counted')),
      event(finish()),
      event(usage(5, 1)),
      event(chunk(null, { usage: { prompt_tokens: -1, completion_tokens: 'x' } })),
      'data: [DONE]\n\n',
    );

    const { chunks } = await collect(model().stream(request()));

    expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 1 } });
  });

  it('fails with UPSTREAM_UNAVAILABLE on an error event mid-stream, after the deltas before it, with the event in cause', async () => {
    const failure = { message: 'The server had an error while processing your request.', type: 'server_error', code: 'internal' };
    server.script(event(delta('Partial')), event(JSON.stringify({ error: failure })), event(delta(' never')), event(finish()), 'data: [DONE]\n\n');

    const { chunks, error } = await collect(model().stream(request()));

    expect(chunks).toEqual([{ type: 'delta', text: 'Partial' }]);
    const domainError = expectUpstreamUnavailable(error, /reported an error/);
    expect(domainError.message).not.toContain('processing your request');
    expect(domainError.cause).toMatchObject({ status: undefined, error: failure, code: 'internal', type: 'server_error' });
  });

  it('reports an error event named by `event: error` the same way', async () => {
    server.script(event(delta('A')), `event: error\ndata: ${JSON.stringify({ error: { message: 'overloaded', type: 'overloaded_error' } })}\n\n`);

    const { text, error } = await collect(model().stream(request()));

    expect(text).toBe('A');
    expectUpstreamUnavailable(error, /reported an error/);
  });

  it('finishes a reply whose error event comes after the finish reason', async () => {
    server.script(event(delta('Whole')), event(finish()), event(JSON.stringify({ error: { message: 'late' } })));

    const { chunks, error } = await collect(model().stream(request()));

    expect(error).toBeUndefined();
    expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: null });
  });

  it.each([
    ['malformed JSON', 'data: {"choices": [\n\n'],
    ['a JSON value that is not an object', 'data: 42\n\n'],
    ['null', 'data: null\n\n'],
    ['choices that are not an array', event(JSON.stringify({ choices: { 0: {} } }))],
    ['a choice that is not an object', event(JSON.stringify({ choices: ['text'] }))],
    ['content that is not a string', event(JSON.stringify({ choices: [{ delta: { content: 42 } }] }))],
    ['a delta that is not an object', event(JSON.stringify({ choices: [{ delta: 'text' }] }))],
    ['a finish_reason that is not a string', event(JSON.stringify({ choices: [{ delta: {}, finish_reason: 1 }] }))],
    ['a finish_reason too long to store', event(JSON.stringify({ choices: [{ delta: {}, finish_reason: 'x'.repeat(65) }] }))],
  ])('fails with UPSTREAM_UNAVAILABLE "invalid response" on %s', async (_, bad) => {
    server.script(event(delta('Before')), bad, event(delta(' after')), event(finish()), 'data: [DONE]\n\n');

    const { text, error } = await collect(model().stream(request()));

    expect(text).toBe('Before');
    const domainError = expectUpstreamUnavailable(error, /invalid response/);
    expect(domainError.message).not.toContain('choices');
  });

  it('fails with UPSTREAM_UNAVAILABLE and closes the connection when one event outgrows the limit', async () => {
    // 9 MiB in one data line, never terminated by a blank line.
    const piece = 'x'.repeat(1024 * 1024);
    server.script(event(delta('Big')), `data: {"choices":[{"delta":{"content":"`, ...Array.from({ length: 9 }, () => piece), 'hang');

    const { text, error } = await collect(model().stream(request()));

    expect(text).toBe('Big');
    expectUpstreamUnavailable(error, /invalid response/);
    expect(await server.exchanges[0]!.outcome).toBe('aborted');
  }, 30_000);

  it('fails with UPSTREAM_UNAVAILABLE when the connection is lost mid-stream', async () => {
    server.script(event(delta('Cut')), event(delta(' short')), 'drop');

    const { text, error } = await collect(model().stream(request()));

    expect(text).toBe('Cut short');
    expectUpstreamUnavailable(error, /connection .* was lost/);
  });

  it('fails when the body ends without a finish reason, dropping an event left without its blank line', async () => {
    server.script(event(delta('Unfinished')), `data: ${finish()}`, 'end');

    const { text, error } = await collect(model().stream(request()));

    expect(text).toBe('Unfinished');
    expectUpstreamUnavailable(error, /ended the reply before it was complete/);
  });

  it('fails with "stopped responding" when the stream stalls between chunks, and closes the connection', async () => {
    server.script(event(delta('Waiting')), 'hang');

    const { text, error } = await collect(model({ timeoutMs: 250 }).stream(request()));

    expect(text).toBe('Waiting');
    expectUpstreamUnavailable(error, /stopped responding/);
    expect(await server.exchanges[0]!.outcome).toBe('aborted');
  });

  it('counts a stall only while it waits for upstream, keep-alive comments included', async () => {
    server.script(event(delta('One')), { wait: 150 }, ': ping\n\n', { wait: 150 }, event(delta(' two')), event(finish()), 'data: [DONE]\n\n');

    const { text, error } = await collect(model({ timeoutMs: 250 }).stream(request()));

    expect(error).toBeUndefined();
    expect(text).toBe('One two');
  });

  it('ends quietly when the signal aborts mid-stream, yields nothing after it and closes the connection', async () => {
    // Both deltas in one TCP chunk: the second is parsed but must not come out after the abort.
    server.script(event(delta('First')) + event(delta(' second')), 'hang');
    const controller = new AbortController();
    const chunks: CompletionChunk[] = [];

    for await (const c of model().stream(request(controller.signal))) {
      chunks.push(c);
      controller.abort();
    }

    expect(chunks).toEqual([{ type: 'delta', text: 'First' }]);
    expect(await server.exchanges[0]!.outcome).toBe('aborted');
  });

  it('ends quietly when the signal aborts while it waits for the next chunk', async () => {
    server.script(event(delta('Before')), 'hang');
    const controller = new AbortController();

    const result = collect(model().stream(request(controller.signal)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();

    expect(await result).toEqual({ chunks: [{ type: 'delta', text: 'Before' }], text: 'Before', error: undefined });
    expect(await server.exchanges[0]!.outcome).toBe('aborted');
  });

  it('reads each response to its end, so the next request reuses the connection', async () => {
    const reply = [event(delta('Again')), event(finish()), 'data: [DONE]\n\n'];
    server.script(...reply);
    server.script(...reply);
    const before = server.connections;
    const upstream = model();

    for (let i = 0; i < 2; i += 1) {
      const { text, error } = await collect(upstream.stream(request()));
      expect(error).toBeUndefined();
      expect(text).toBe('Again');
    }

    expect(server.connections - before).toBeLessThanOrEqual(1);
    expect(await server.exchanges[1]!.outcome).toBe('completed');
  });
});
