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
 * service and not the fake. The mode (zero delay or paced) is set by the
 * parent over IPC and applies to requests that arrive afterwards.
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

/** The bytes of one streamed answer, built once per response from precomputed pieces. */
function streamChunks(model: string, includeUsage: boolean, usage: { prompt: number; completion: number }): {
  head: string;
  deltas: string[];
  tail: string;
} {
  sequence += 1;
  const usageNull = includeUsage ? ',"usage":null' : '';
  const prefix =
    `data: {"id":"chatcmpl-bench${sequence}","object":"chat.completion.chunk","created":${Math.floor(Date.now() / 1000)},` +
    `"model":${JSON.stringify(model)},"service_tier":"default","system_fingerprint":"fp_bench","choices":`;
  const choice = (delta: string, finish: string) =>
    `[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usageNull}}\n\n`;
  const head = prefix + choice('{"role":"assistant","content":"","refusal":null}', 'null');
  const deltas = mode.deltaJson.map((json) => prefix + choice(`{"content":${json}}`, 'null'));
  let tail = prefix + choice('{}', '"stop"');
  if (includeUsage) {
    const total = usage.prompt + usage.completion;
    tail +=
      `${prefix}[],"usage":{"prompt_tokens":${usage.prompt},"completion_tokens":${usage.completion},"total_tokens":${total}}}\n\n`;
  }
  tail += 'data: [DONE]\n\n';
  return { head, deltas, tail };
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
  const { head, deltas, tail } = streamChunks(model, body.stream_options?.include_usage === true, usage);
  const headers = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': `req_bench${sequence}` };

  if (current.firstChunkDelayMs === 0 && current.chunkDelayMs === 0) {
    res.writeHead(200, headers);
    res.end(head + deltas.join('') + tail);
    return;
  }
  let gone = false;
  res.on('close', () => (gone = true));
  await sleep(current.firstChunkDelayMs);
  if (gone) return;
  res.writeHead(200, headers);
  res.write(head + deltas[0]!);
  for (let i = 1; i <= deltas.length; i += 1) {
    await sleep(current.chunkDelayMs);
    if (gone) return;
    if (i < deltas.length) res.write(deltas[i]!);
  }
  res.end(tail);
}

const sleep = (ms: number) => new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : resolve()));

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
