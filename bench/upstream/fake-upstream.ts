import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelCatalog } from '../../src/domain/models.js';
import { messageTokens, promptTokens } from '../../src/domain/token-rules.js';
import type { MessageRole } from '../../src/domain/message.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import { UPSTREAM_MODES, type UpstreamMode } from './modes.js';

/**
 * A lean OpenAI-compatible upstream for the benchmark, in its own process.
 * It speaks the same Chat Completions wire format as test/support/fake-openai.ts
 * (role chunk, content chunks, finish chunk, usage chunk, `[DONE]`) but
 * precomputes every byte it can, so that at high load the numbers measure the
 * service and not the fake: the role and content chunks are built once per
 * mode and model (one chunk id for all answers; nothing reads it), a paced
 * answer runs on one re-armed timer, a zero-delay answer is one write with a
 * content-length. The mode (zero delay, paced at 5 ms, paced at 20 ms) is set
 * by the parent over IPC and applies to requests that arrive afterwards.
 *
 * Usage is exact (the service warns when upstream usage differs from its own
 * count): prompt tokens are counted with the real tokenizer, per distinct
 * message text, and cached, since benchmark conversations repeat their texts.
 */

const send = (message: unknown) => process.send?.(message);

let mode: UpstreamMode = UPSTREAM_MODES.zero;
let sequence = 0;
const tokens = new TiktokenCounter();
tokens.preload(['o200k_base', 'cl100k_base']);
const catalog = new ModelCatalog({ unknownModelWindow: 128_000 });
const countCache = new Map<string, number>();
const COUNT_CACHE_LIMIT = 50_000;

const ROLES: Partial<Record<string, MessageRole>> = { system: 'SYSTEM', developer: 'SYSTEM', user: 'USER', assistant: 'ASSISTANT' };

function promptTokensOf(model: string, messages: readonly { role?: string; content?: unknown }[]): number {
  const encoding = catalog.resolve(model).spec.encoding;
  const counts: number[] = [];
  for (const message of messages) {
    const role = ROLES[message.role ?? ''] ?? 'USER';
    const content = typeof message.content === 'string' ? message.content : '';
    const key = `${encoding}\u0000${role}\u0000${content}`;
    let n = countCache.get(key);
    if (n === undefined) {
      n = messageTokens({ role, content }, (text) => tokens.count(text, encoding));
      if (countCache.size >= COUNT_CACHE_LIMIT) countCache.clear();
      countCache.set(key, n);
    }
    counts.push(n);
  }
  return promptTokens(counts);
}

/** The chunks every answer of one mode and model shares, built once (they carry one chunk id and creation time). */
interface SharedChunks {
  readonly prefix: string;
  readonly head: Buffer;
  /** Each content delta as written (paced); the role chunk and all of them at once (zero). */
  readonly deltas: readonly Buffer[];
  readonly headAndDeltas: Buffer;
  readonly finish: string;
}

const shared = new Map<string, SharedChunks>();
const STARTED = Math.floor(Date.now() / 1000);

function sharedChunks(current: UpstreamMode, model: string, includeUsage: boolean): SharedChunks {
  const key = `${current.name}\u0000${includeUsage}\u0000${model}`;
  let chunks = shared.get(key);
  if (chunks === undefined) {
    const usageNull = includeUsage ? ',"usage":null' : '';
    const prefix =
      `data: {"id":"chatcmpl-bench-${current.name}","object":"chat.completion.chunk","created":${STARTED},` +
      `"model":${JSON.stringify(model)},"service_tier":"default","system_fingerprint":"fp_bench","choices":`;
    const choice = (delta: string, finish: string) => `[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usageNull}}\n\n`;
    const deltas = current.deltaJson.map((json) => Buffer.from(prefix + choice(`{"content":${json}}`, 'null')));
    const head = Buffer.from(prefix + choice('{"role":"assistant","content":"","refusal":null}', 'null'));
    chunks = {
      prefix,
      head,
      deltas,
      headAndDeltas: Buffer.concat([head, ...deltas]),
      finish: prefix + choice('{}', '"stop"'),
    };
    if (shared.size > 64) shared.clear();
    shared.set(key, chunks);
  }
  return chunks;
}

/** The finish chunk, the usage chunk (exact for this request) and [DONE]. */
function tailOf(chunks: SharedChunks, includeUsage: boolean, usage: { prompt: number; completion: number }): string {
  let tail = chunks.finish;
  if (includeUsage) {
    const total = usage.prompt + usage.completion;
    tail += `${chunks.prefix}[],"usage":{"prompt_tokens":${usage.prompt},"completion_tokens":${usage.completion},"total_tokens":${total}}}\n\n`;
  }
  return `${tail}data: [DONE]\n\n`;
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

interface RequestBody {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
  messages?: { role?: string; content?: unknown }[];
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = (req.url ?? '/').split('?')[0];
  const raw = await readBody(req);
  if (req.method !== 'POST' || (route !== '/v1/chat/completions' && route !== '/chat/completions')) {
    return sendError(res, 404, `Unknown request URL: ${req.method} ${req.url}.`);
  }
  let body: RequestBody;
  try {
    body = JSON.parse(raw) as RequestBody;
  } catch {
    return sendError(res, 400, 'We could not parse the JSON body of your request.');
  }
  if (body.stream !== true) return sendError(res, 400, 'The benchmark upstream only streams (stream: true).');
  const model = String(body.model);
  const current = mode;
  const usage = { prompt: promptTokensOf(model, body.messages ?? []), completion: current.completionTokens };
  const includeUsage = body.stream_options?.include_usage === true;
  const chunks = sharedChunks(current, model, includeUsage);
  const tail = tailOf(chunks, includeUsage, usage);
  sequence += 1;
  const headers: Record<string, string> = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': `req_bench${sequence}` };

  if (current.firstChunkDelayMs === 0 && current.chunkDelayMs === 0) {
    // One write with a content-length, as the whole reply is known.
    res.writeHead(200, headers);
    res.end(Buffer.concat([chunks.headAndDeltas, Buffer.from(tail)]));
    return;
  }
  new PacedReply(res, headers, chunks.head, chunks.deltas, tail, current);
}

/**
 * One paced answer, driven by one timer re-armed with refresh(): no promise
 * and no new timer per delta, so a thousand concurrent streams cost the fake
 * little next to what they measure.
 */
class PacedReply {
  private next = 0;
  private gone = false;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
    private readonly head: Buffer,
    private readonly deltas: readonly Buffer[],
    private readonly tail: string,
    mode: UpstreamMode,
  ) {
    res.on('close', () => {
      this.gone = true;
      clearTimeout(this.timer);
    });
    // The first step waits firstChunkDelayMs, every later one chunkDelayMs: a timer's delay is fixed, so it is made twice.
    this.timer = setTimeout(() => this.first(mode.chunkDelayMs), mode.firstChunkDelayMs);
  }

  private first(chunkDelayMs: number): void {
    if (this.gone) return;
    this.res.writeHead(200, this.headers);
    // The role chunk and the first delta leave together, in one write.
    this.res.cork();
    this.res.write(this.head);
    this.res.write(this.deltas[0]!);
    this.res.uncork();
    this.next = 1;
    this.timer = setTimeout(() => this.step(), chunkDelayMs);
  }

  private step(): void {
    if (this.gone) return;
    if (this.next < this.deltas.length) {
      this.res.write(this.deltas[this.next]!);
      this.next += 1;
      this.timer.refresh();
      return;
    }
    this.res.end(this.tail);
  }
}

const server = createServer({ keepAliveTimeout: 120_000, noDelay: true }, (req, res) => {
  req.on('error', () => {});
  res.on('error', () => {});
  handle(req, res).catch((error: unknown) => {
    if (res.headersSent) res.destroy();
    else sendError(res, 500, `bench upstream failed: ${String(error)}`);
  });
});
server.headersTimeout = 130_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;

process.on('message', (message: { type?: string; mode?: string }) => {
  if (message.type === 'mode' && message.mode !== undefined && message.mode in UPSTREAM_MODES) {
    mode = UPSTREAM_MODES[message.mode as keyof typeof UPSTREAM_MODES];
    send({ type: 'mode-set', mode: mode.name });
  }
});
// The parent owns this process: when it goes, so does the upstream.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', url: `http://127.0.0.1:${port}/v1` });
});
