import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type OpenAI from 'openai';
import { ModelCatalog } from '../../src/domain/models.js';
import { messageTokens, promptTokens } from '../../src/domain/token-rules.js';
import type { MessageRole } from '../../src/domain/message.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import type { TokenCounter } from '../../src/use-cases/ports.js';

/**
 * A fake OpenAI-compatible server speaking the real Chat Completions wire
 * format (SSE chunks, usage chunk, `[DONE]`, error bodies), so tests exercise
 * the official SDK end to end. Each request is answered by the next queued
 * reply, or by the default one.
 */

export interface FakeUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  /** Reported as prompt_tokens_details.cached_tokens; default 0. */
  readonly cached_tokens?: number;
  /** Reported as completion_tokens_details.reasoning_tokens; default 0. */
  readonly reasoning_tokens?: number;
}

export interface FakeError {
  readonly status: number;
  /** Defaults follow what OpenAI sends for the status (see `defaultError`). */
  readonly message?: string;
  readonly type?: string;
  readonly param?: string | null;
  readonly code?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeReply {
  /** Default: 'Hello from the fake model.' */
  readonly text?: string;
  /** How the text is streamed; default: word by word, each word with its leading space. */
  readonly deltas?: readonly string[];
  /** Default 'stop'. null sends no finish_reason at all (a malformed stream that still ends with [DONE]). */
  readonly finishReason?: 'stop' | 'length' | 'content_filter' | 'tool_calls' | null;
  /** Default: exact prompt tokens of the request's messages and the tokens of the text. null: no usage chunk. */
  readonly usage?: FakeUsage | null;
  /** Wait before the response headers. */
  readonly firstChunkDelayMs?: number;
  /** Wait before each content delta after the first, and before the finish chunk. */
  readonly chunkDelayMs?: number;
  /** Answer with this HTTP error and OpenAI's error body instead. */
  readonly error?: FakeError;
  /** Destroy the socket after this many content deltas: no finish, no [DONE]. */
  readonly dropAfterDeltas?: number;
  /** Send nothing at all, not even headers, until the client goes away. */
  readonly hang?: boolean;
  /** After this many content deltas, stop and wait for `resumeWhen` (or the client going away). */
  readonly pauseAfterDeltas?: number;
  /** Lets a paused stream continue; without it, a pause lasts until the client goes away. */
  readonly resumeWhen?: Promise<unknown>;
}

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/** How the exchange ended: fully sent, the client went away first, or the fake dropped it on purpose. */
export type FakeOutcome = 'completed' | 'aborted' | 'dropped';

export interface FakeRequest {
  readonly method: string;
  /** Path and query, e.g. '/v1/chat/completions'. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body (an empty object when there was none). */
  readonly body: OpenAI.Chat.ChatCompletionCreateParams;
  /** Resolves when the response is over. */
  readonly outcome: Promise<FakeOutcome>;
}

export interface FakeOpenAIOptions {
  /** The reply used when no queued reply is left. Default: `{}` (the default text, streamed word by word). */
  readonly reply?: FakeReply | FakeHandler;
  /** Counts default usage; pass one to share its encoders between fakes. */
  readonly tokens?: TokenCounter;
}

export const DEFAULT_FAKE_TEXT = 'Hello from the fake model.';

export class FakeOpenAI {
  /** Every request received, in arrival order. */
  readonly requests: FakeRequest[] = [];
  private readonly queue: (FakeReply | FakeHandler)[] = [];
  private readonly arrivalWaiters: (() => void)[] = [];
  private readonly catalog = new ModelCatalog({ unknownModelWindow: 128_000 });

  private constructor(
    private readonly server: Server,
    /** Base URL ending in /v1: pass it as OPENAI_BASE_URL or the SDK's baseURL. */
    readonly url: string,
    private defaultReply: FakeReply | FakeHandler,
    private readonly tokens: TokenCounter,
  ) {}

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/v1`;
    const fake = new FakeOpenAI(server, url, options.reply ?? {}, options.tokens ?? new TiktokenCounter());
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => {
        // A broken test handler shows up as a 500 naming it, not as a mystery disconnect.
        if (res.headersSent) res.destroy();
        else sendError(res, { status: 500, message: `FakeOpenAI handler failed: ${String(error)}` });
      });
    });
    return fake;
  }

  /** Queues replies for the next requests, one each, in order. */
  reply(...replies: (FakeReply | FakeHandler)[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Replaces the reply given when the queue is empty. */
  replyAlways(reply: FakeReply | FakeHandler): this {
    this.defaultReply = reply;
    return this;
  }

  /** Resolves with request number `index` (0-based) once it has arrived. */
  async waitForRequest(index = 0): Promise<FakeRequest> {
    while (this.requests.length <= index) {
      await new Promise<void>((resolve) => this.arrivalWaiters.push(resolve));
    }
    return this.requests[index]!;
  }

  /** Stops listening and cuts every open connection, hanging ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => {});
    res.on('error', () => {});
    const exchange = new Exchange(res);
    const raw = await readBody(req);
    const body = parseJson(raw);
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: (body ?? {}) as OpenAI.Chat.ChatCompletionCreateParams,
      outcome: exchange.outcome,
    };
    this.requests.push(request);
    for (const wake of this.arrivalWaiters.splice(0)) wake();

    const route = request.path.split('?')[0];
    if (request.method !== 'POST' || (route !== '/v1/chat/completions' && route !== '/chat/completions')) {
      const message = `Unknown request URL: ${request.method} ${request.path}.`;
      return sendError(res, { status: 404, message, type: 'invalid_request_error', code: 'unknown_url' });
    }
    if (body === undefined && raw.length > 0) {
      const message = 'We could not parse the JSON body of your request.';
      return sendError(res, { status: 400, message, type: 'invalid_request_error' });
    }

    const next = this.queue.shift() ?? this.defaultReply;
    const reply = typeof next === 'function' ? await next(request) : next;
    if (reply.hang) return exchange.sleep(Number.POSITIVE_INFINITY);
    await exchange.sleep(reply.firstChunkDelayMs ?? 0);
    if (exchange.gone) return;
    if (reply.error) return sendError(res, reply.error);

    const text = reply.deltas ? reply.deltas.join('') : (reply.text ?? DEFAULT_FAKE_TEXT);
    const script: Script = {
      reply,
      deltas: reply.deltas ?? splitWords(text),
      text,
      usage: reply.usage === undefined ? this.usageOf(request.body, text) : reply.usage,
      finishReason: reply.finishReason === undefined ? 'stop' : reply.finishReason,
      id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
      created: Math.floor(Date.now() / 1000),
      model: String(request.body.model),
    };
    if (request.body.stream === true) {
      await streamCompletion(exchange, script, request.body.stream_options?.include_usage === true);
    } else {
      await sendCompletion(exchange, script);
    }
  }

  private usageOf(body: OpenAI.Chat.ChatCompletionCreateParams, text: string): FakeUsage {
    const encoding = this.catalog.resolve(String(body.model)).spec.encoding;
    const count = (value: string) => this.tokens.count(value, encoding);
    const perMessage = (body.messages ?? []).map((message) =>
      messageTokens(
        {
          role: ROLES[message.role] ?? 'USER',
          content: contentText(message.content),
          name: 'name' in message ? message.name : undefined,
        },
        count,
      ),
    );
    return { prompt_tokens: promptTokens(perMessage), completion_tokens: count(text) };
  }
}

/** What one scripted answer sends. */
interface Script {
  readonly reply: FakeReply;
  readonly deltas: readonly string[];
  readonly text: string;
  readonly usage: FakeUsage | null;
  readonly finishReason: string | null;
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

/** One response in flight: knows when the client went away, and how it ended. */
class Exchange {
  readonly outcome: Promise<FakeOutcome>;
  private readonly closed = new AbortController();
  private dropped = false;

  constructor(readonly res: ServerResponse) {
    this.outcome = new Promise((resolve) => {
      res.on('close', () => {
        this.closed.abort();
        resolve(this.dropped ? 'dropped' : res.writableFinished ? 'completed' : 'aborted');
      });
    });
  }

  get gone(): boolean {
    return this.closed.signal.aborted;
  }

  /** Resolves once the data reached the socket, so a drop that follows never loses it. */
  write(data: string): Promise<void> {
    if (this.res.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.res.write(data, () => resolve()));
  }

  /** Cuts the connection mid-response, as a dying upstream does. */
  drop(): void {
    this.dropped = true;
    this.res.destroy();
  }

  /** Waits `ms`, or until the client goes away; never rejects. */
  sleep(ms: number): Promise<void> {
    const signal = this.closed.signal;
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** A scripted pause: until `resumeWhen` settles, or the client goes away. */
  async pause(reply: FakeReply): Promise<void> {
    const forever = this.sleep(Number.POSITIVE_INFINITY);
    await (reply.resumeWhen ? Promise.race([reply.resumeWhen, forever]) : forever);
  }
}

async function streamCompletion(exchange: Exchange, script: Script, includeUsage: boolean): Promise<void> {
  const { reply, deltas } = script;
  // With include_usage, every chunk carries `usage`: null except the last one.
  const chunk = (choices: unknown[], usage: FakeUsage | null = null) =>
    `data: ${JSON.stringify({
      id: script.id,
      object: 'chat.completion.chunk',
      created: script.created,
      model: script.model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
      choices,
      ...(includeUsage ? { usage: usage && withTotal(usage) } : {}),
    })}\n\n`;
  const choice = (delta: object, finishReason: string | null = null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  exchange.res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': `req_${script.id}`,
  });
  await exchange.write(chunk([choice({ role: 'assistant', content: '', refusal: null })]));
  // Step `sent` runs before delta number `sent` (and, at the end, before the finish).
  for (let sent = 0; sent <= deltas.length; sent += 1) {
    if (sent === reply.dropAfterDeltas) return exchange.drop();
    if (sent === reply.pauseAfterDeltas) await exchange.pause(reply);
    if (sent > 0) await exchange.sleep(reply.chunkDelayMs ?? 0);
    if (exchange.gone) return;
    if (sent < deltas.length) await exchange.write(chunk([choice({ content: deltas[sent] })]));
  }
  if (script.finishReason !== null) await exchange.write(chunk([choice({}, script.finishReason)]));
  if (includeUsage && script.usage !== null) await exchange.write(chunk([], script.usage));
  exchange.res.end('data: [DONE]\n\n');
}

async function sendCompletion(exchange: Exchange, script: Script): Promise<void> {
  if (script.reply.dropAfterDeltas !== undefined) return exchange.drop();
  if (script.reply.pauseAfterDeltas !== undefined) await exchange.pause(script.reply);
  if (exchange.gone) return;
  exchange.res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${script.id}` });
  exchange.res.end(
    JSON.stringify({
      id: script.id,
      object: 'chat.completion',
      created: script.created,
      model: script.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: script.text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: script.finishReason,
        },
      ],
      usage: script.usage && withTotal(script.usage),
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    }),
  );
}

const ROLES: Partial<Record<string, MessageRole>> = {
  system: 'SYSTEM',
  developer: 'SYSTEM',
  user: 'USER',
  assistant: 'ASSISTANT',
};

/** What OpenAI answers for common statuses, so a bare `{ status }` looks real. */
export function defaultError(status: number): Required<Omit<FakeError, 'headers'>> {
  switch (status) {
    case 400:
      return {
        status,
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. " +
          'Please reduce the length of the messages.',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      };
    case 401:
      return {
        status,
        message:
          'Incorrect API key provided: sk-fake***********1234. ' +
          'You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      };
    case 429:
      return {
        status,
        message:
          'Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): ' +
          'Limit 3, Used 3, Requested 1. Please try again in 20s.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    default:
      return {
        status,
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      };
  }
}

function sendError(res: ServerResponse, error: FakeError): void {
  const { status, message, type, param, code } = { ...defaultError(error.status), ...error };
  res.writeHead(status, { 'content-type': 'application/json', ...error.headers });
  res.end(JSON.stringify({ error: { message, type, param, code } }));
}

function withTotal(usage: FakeUsage) {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning_tokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** 'Hello from it.' -> ['Hello', ' from', ' it.'] */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('');
}

function parseJson(raw: string): unknown {
  try {
    return raw.length > 0 ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    // The client went away mid-body; what arrived is all there is.
  }
  return Buffer.concat(chunks).toString('utf8');
}
