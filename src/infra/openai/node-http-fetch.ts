import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * A `fetch` for the `openai` SDK over node:http(s) with keep-alive agents,
 * passed as its `fetch` option: the SDK still builds every request (base
 * URL, auth, headers, body), times it out, retries it and turns HTTP errors
 * into APIError; only the transport is Node's own instead of undici's fetch,
 * whose per-request objects and WHATWG body stream (a promise and a queue
 * entry per network chunk) cost more per streamed reply than everything the
 * adapter does with it.
 *
 * An answer with `content-type: text/event-stream` and a 2xx status comes
 * back as a Response without a body: its bytes are read from the Node
 * stream that `eventStreamOf(response)` returns (OpenAICompletionModel.stream
 * does). Every other answer (JSON, errors) is read whole and returned as a
 * regular Response, so the SDK's non-streaming and error paths are untouched.
 *
 * Requests carry no `accept-encoding` (undici's fetch adds one), so servers
 * answer uncompressed; an answer compressed anyway is decompressed here.
 */

const eventStreams = new WeakMap<Response, Readable>();

/** The body of an event stream answered by a fetch from createNodeHttpFetch; undefined for any other Response. */
export function eventStreamOf(response: Response): Readable | undefined {
  return eventStreams.get(response);
}

export type NodeHttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Statuses whose Response must not have a body (the Fetch standard). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function createNodeHttpFetch(): NodeHttpFetch & { close(): void } {
  const http = new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
  const https = new HttpsAgent({ keepAlive: true, scheduling: 'lifo' });
  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('node-http fetch takes a URL, not a Request');
      const url = typeof input === 'string' ? new URL(input) : input;
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') throw new TypeError(`node-http fetch: unsupported protocol ${url.protocol}`);
      const { signal } = init;
      const body = requestBody(init.body);
      const options: RequestOptions = { method: init.method ?? 'GET', headers: headerRecord(init.headers, body), agent: secure ? https : http };
      let settled = false;
      let response: IncomingMessage | undefined;
      const onAbort = () => {
        const error = abortError(signal);
        req.destroy(error);
        response?.destroy(error);
        if (!settled) {
          settled = true;
          reject(error);
        }
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const req = (secure ? httpsRequest : httpRequest)(url, options, (res) => {
        response = res;
        res.once('close', done);
        const status = res.statusCode ?? 0;
        const headers = responseHeaders(res);
        const init = { status, statusText: res.statusMessage ?? '', headers };
        const type = res.headers['content-type'] ?? '';
        if (status >= 200 && status < 300 && type.toLowerCase().startsWith('text/event-stream')) {
          const stream = new Response(null, init);
          eventStreams.set(stream, decoded(res));
          settled = true;
          return resolve(stream);
        }
        const parts: Buffer[] = [];
        const source = decoded(res);
        source.on('data', (part: Buffer) => parts.push(part));
        source.once('end', () => {
          settled = true;
          resolve(new Response(NULL_BODY.has(status) ? null : Buffer.concat(parts), init));
        });
        source.once('error', (error) => {
          if (settled) return;
          settled = true;
          reject(error);
        });
      });
      req.once('error', (error) => {
        done();
        if (settled) return;
        settled = true;
        reject(error);
      });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(body);
    });
  return Object.assign(nodeFetch, {
    close() {
      http.destroy();
      https.destroy();
    },
  });
}

function requestBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // The SDK sends JSON as a string; multipart and streamed bodies are not used by this adapter.
  throw new TypeError('node-http fetch: only string and byte bodies are supported');
}

function headerRecord(headers: RequestInit['headers'], body: string | Uint8Array | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  // The SDK passes a Headers; anything else is normalised through one.
  (headers instanceof Headers ? headers : new Headers(headers)).forEach((value, name) => {
    record[name] = value;
  });
  if (body !== undefined && record['content-length'] === undefined) {
    record['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  }
  return record;
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** The body as sent, decompressed when a server compressed it unasked. */
function decoded(res: IncomingMessage): Readable {
  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decompress =
    encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (decompress === undefined) return res;
  res.once('error', (error) => decompress.destroy(error));
  res.once('close', () => {
    if (!res.complete) decompress.destroy(new Error('aborted'));
  });
  // Destroying the decompressor (a consumer that stops reading) closes the connection too.
  decompress.once('close', () => res.destroy());
  return res.pipe(decompress);
}

function abortError(signal: AbortSignal | null | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}
