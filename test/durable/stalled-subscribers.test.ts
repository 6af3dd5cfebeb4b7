import { request } from 'node:http';
import type { Socket } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeOpenAI } from '../support/fake-openai.js';
import { openStore, type TestStore } from '../support/stores.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { SERVICE_TOKEN } from '../support/test-app.js';
import { auth, v1Client } from '../grpc/support/grpc-clients.js';
import { ReplyReader } from '../support/reply-reader.js';

/**
 * Subscribers that never read, over graphql-ws and SSE, while a chat gets
 * 100 turns of 1,000 deltas each: the service (its own process) stays up,
 * a subscriber that does read gets every piece of every reply, and the
 * service's memory stays within a fixed bound.
 */

const TURNS = 100;
const DELTAS = Array.from({ length: 1_000 }, (_, i) => `piece ${String(i).padStart(4, '0')} of a long streaming reply; `);
const TEXT = DELTAS.join('');
/** The bound this test holds the service's memory growth to, whatever the stalled subscribers do. */
const MAX_RSS_GROWTH_BYTES = 160 * 1024 * 1024;
const CHAT_EVENTS = `subscription($chatId: ID!) { chatEvents(chatId: $chatId) {
  __typename ... on ReplyDelta { messageId text cursor } ... on ReplyCompleted { message { id content } } } }`;

describe('subscribers that never read', () => {
  let openai: FakeOpenAI;
  let store: TestStore;
  let service: ServiceProcess;

  beforeAll(async () => {
    openai = await FakeOpenAI.start({ reply: { deltas: DELTAS } });
    store = await openStore('sqlite', { migrate: false });
    service = await startServiceProcess({
      DATABASE_URL: store.databaseUrl,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-test',
    });
  });
  afterAll(async () => {
    await service?.kill();
    await openai?.close();
    await store?.close();
  });

  it('cost bounded memory, never harm the process, and never cost a reading subscriber a delta', async () => {
    const grpc = v1Client(service.grpcPort);
    const first = await new ReplyReader(grpc.SendMessage({ user_id: 'alice', content: 'Turn 0' }, auth())).done;
    const chatId = first.seen.chatId;

    const stalledWs = await stalledWebSocketSubscriber(service.httpUrl, chatId);
    const stalledSse = await stalledSseSubscriber(service.httpUrl, chatId);
    const reading = readingSubscriber(service.httpUrl, chatId);
    await reading.ready;

    const rssAtStart = service.rssBytes();
    const samples: number[] = [];
    let maxRss = 0;
    for (let turn = 1; turn <= TURNS; turn++) {
      const { seen, error } = await new ReplyReader(
        grpc.SendMessage({ user_id: 'alice', chat_id: chatId, content: `Turn ${turn}` }, auth()),
      ).done;
      expect(error).toBeUndefined();
      expect(seen.text).toBe(TEXT);
      maxRss = Math.max(maxRss, service.rssBytes());
      if (turn % 20 === 0) samples.push(service.rssBytes());
    }
    await reading.until(TURNS);

    expect((await fetch(`${service.httpUrl}/healthz`)).status).toBe(200);
    expect(reading.replies).toHaveLength(TURNS);
    for (const reply of reading.replies) expect(reply).toBe(TEXT);
    expect(maxRss - rssAtStart).toBeLessThan(MAX_RSS_GROWTH_BYTES);
    const mib = (bytes: number) => Math.round(bytes / 1048576);
    console.info(
      `stalled subscribers: RSS ${mib(rssAtStart)} MiB at the start, every 20 turns ${samples.map(mib).join(', ')} MiB, ` +
        `max ${mib(maxRss)} MiB over ${TURNS} turns of ${DELTAS.length} deltas`,
    );

    reading.close();
    stalledWs.destroy();
    stalledSse.destroy();
    grpc.close();
  }, 180_000);
});

/** Subscribes over graphql-ws, then stops reading the socket for good. */
async function stalledWebSocketSubscriber(httpUrl: string, chatId: string): Promise<Socket> {
  const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const acked = new Promise((resolve) => ws.once('message', resolve));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${SERVICE_TOKEN}`, userId: 'alice' } }));
  await acked;
  ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: CHAT_EVENTS, variables: { chatId } } }));
  const socket = (ws as unknown as { _socket: Socket })._socket;
  socket.pause();
  return socket;
}

/** Subscribes over SSE, then stops reading the response for good. */
async function stalledSseSubscriber(httpUrl: string, chatId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request(`${httpUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${SERVICE_TOKEN}`,
        'x-user-id': 'alice',
      },
    });
    req.once('error', reject);
    req.once('response', (response) => {
      response.pause();
      resolve(response.socket);
    });
    req.end(JSON.stringify({ query: CHAT_EVENTS, variables: { chatId } }));
  });
}

async function graphql(httpUrl: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${httpUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'alice' },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
}

/** A graphql-ws subscriber that reads everything and rebuilds each reply from its deltas. */
function readingSubscriber(httpUrl: string, chatId: string) {
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${SERVICE_TOKEN}`, userId: 'alice' },
    retryAttempts: 0,
  });
  const replies: string[] = [];
  let current = '';
  let waiting: { count: number; resolve: () => void } | undefined;
  let updates = 0;
  const stop = client.subscribe<{ chatEvents: { __typename: string; text?: string; message?: { content: string } } }>(
    { query: CHAT_EVENTS, variables: { chatId } },
    {
      next: ({ data }) => {
        const event = data!.chatEvents;
        if (event.__typename === 'ChatUpdated') updates++;
        if (event.__typename === 'ReplyDelta') current += event.text!;
        if (event.__typename === 'ReplyCompleted') {
          replies.push(current);
          current = '';
          if (waiting && replies.length >= waiting.count) waiting.resolve();
        }
      },
      error: (error) => {
        throw new Error(`the reading subscriber failed: ${JSON.stringify(error)}`);
      },
      complete: () => {},
    },
  );
  // graphql-ws acknowledges a subscription silently: it is live once a rename shows up on it.
  const ready = (async () => {
    while (updates === 0) {
      await graphql(httpUrl, 'mutation($id: ID!) { renameChat(id: $id, title: "Stalled") { id } }', { id: chatId });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    ready,
    replies,
    until: (count: number) =>
      replies.length >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { count, resolve })),
    close: () => {
      stop();
      void client.dispose();
    },
  };
}
