import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpFetch, eventStreamOf } from '../../src/infra/openai/node-http-fetch.js';

/** The SDK's transport in OpenAICompletionModel: what it hands back for each kind of answer. */

let server: Server;
let url: string;
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
const fetch = createNodeHttpFetch();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (part: Buffer) => (body += part.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
});

afterAll(async () => {
  fetch.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const part of stream) text += part.toString();
  return text;
}

describe('createNodeHttpFetch', () => {
  it('sends the method, the headers and the body, and returns a JSON answer as a regular Response', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    handler = (req, res, body) => {
      seen = { method: req.method, headers: req.headers, body };
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' }).end('{"ok":true}');
    };

    const response = await fetch(url, { method: 'POST', headers: new Headers({ authorization: 'Bearer sk-x', 'content-type': 'application/json' }), body: '{"a":1}' });

    expect(seen).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer sk-x', 'content-length': '7' } });
    expect(seen.headers?.['accept-encoding']).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(eventStreamOf(response)).toBeUndefined();
    expect(await response.json()).toEqual({ ok: true });
  });

  it('returns an error status with its body, for the SDK to read', async () => {
    handler = (_req, res) => res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '10' }).end('{"error":{"message":"slow down"}}');

    const response = await fetch(url, { method: 'POST', body: '{}' });

    expect(response.status).toBe(429);
    expect(response.ok).toBe(false);
    expect(response.headers.get('retry-after-ms')).toBe('10');
    expect(await response.text()).toBe('{"error":{"message":"slow down"}}');
  });

  it('hands an event stream over as a Node stream, the Response without a body', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 20);
    };

    const response = await fetch(url, { method: 'POST', body: '{}' });

    expect(response.body).toBeNull();
    const stream = eventStreamOf(response);
    expect(stream).toBeDefined();
    expect(await readAll(stream!)).toBe('data: one\n\ndata: two\n\n');
  });

  it('decompresses what a server compressed unasked', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.end(gzipSync('data: zipped\n\n'));
    };

    const response = await fetch(url, { method: 'POST', body: '{}' });

    expect(await readAll(eventStreamOf(response)!)).toBe('data: zipped\n\n');
  });

  it('rejects with an AbortError when the signal aborts before the answer, and closes the request', async () => {
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => (closed = resolve));
    handler = (req) => req.socket.once('close', closed);
    const controller = new AbortController();

    const pending = fetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 30);

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await gone;
  });

  it('ends an event stream in progress when the signal aborts', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    };
    const controller = new AbortController();
    const response = await fetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    const stream = eventStreamOf(response)!;

    controller.abort();

    await expect(readAll(stream)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a connection refused as the SDK expects of fetch (a plain error)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    await expect(fetch(`http://127.0.0.1:${port}/v1`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
