import { status } from '@grpc/grpc-js';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually } from '../support/eventually.js';
import { FakeOpenAI } from '../support/fake-openai.js';
import { FakeTwilio, whatsAppInbound } from '../support/fake-twilio.js';
import { mysqlServerUrl, openStore, type TestStore } from '../support/stores.js';
import { redisServerInstalled, startThrowawayRedis, type ThrowawayRedis } from '../support/redis-server.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { SERVICE_TOKEN } from '../support/test-app.js';
import { auth, unary, v1Client } from '../grpc/support/grpc-clients.js';
import { ReplyReader } from '../support/reply-reader.js';

/**
 * Three real service processes on one MariaDB and one redis-server behave
 * as one service: events, resumes, stops, busy chats and idempotent retries
 * cross replicas, and a replica killed mid-reply is recovered by another.
 */

const WORDS = Array.from({ length: 300 }, (_, i) => `w${i} `);
const TEXT = WORDS.join('');
const LEASE_MS = 2_000;

const REPLY_FIELDS = `__typename
  ... on ReplyStarted { chat { id } assistantMessage { id } }
  ... on ReplyDelta { text cursor }
  ... on ReplyCompleted { message { id status content } }
  ... on ReplyFailed { code message { id status content } }`;

interface ReplyEventShape {
  __typename: string;
  chat?: { id: string };
  assistantMessage?: { id: string };
  text?: string;
  cursor?: string;
  message?: { id: string; status: string; content: string };
}

describe.skipIf(mysqlServerUrl() === null || !redisServerInstalled())('several replicas on MySQL and Redis', () => {
  let openai: FakeOpenAI;
  let store: TestStore;
  let redis: ThrowawayRedis;
  let twilio: FakeTwilio;
  const replicas: ServiceProcess[] = [];
  const sockets: Client[] = [];

  const startReplica = () =>
    startServiceProcess({
      DATABASE_URL: store.databaseUrl,
      REDIS_URL: redis.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_MAX_RETRIES: '0',
      REPLY_LEASE_MS: String(LEASE_MS),
      REPLY_CHECKPOINT_MS: '200',
      ...twilio.env(),
    });

  beforeAll(async () => {
    openai = await FakeOpenAI.start({ reply: { deltas: WORDS, chunkDelayMs: 10 } });
    store = await openStore('mysql', { migrate: false });
    redis = await startThrowawayRedis();
    twilio = await FakeTwilio.start();
    // One after the other: the first start migrates the database.
    for (let i = 0; i < 3; i++) replicas.push(await startReplica());
  }, 120_000);
  afterAll(async () => {
    for (const socket of sockets) await socket.dispose();
    for (const replica of replicas) await replica.kill();
    await redis?.stop();
    await twilio?.close();
    await store?.close();
    await openai?.close();
  });

  const [a, b] = [() => replicas[0]!, () => replicas[1]!];

  function ws(replica: ServiceProcess, userId = 'alice'): Client {
    const client = createClient({
      url: `${replica.httpUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${SERVICE_TOKEN}`, userId },
      retryAttempts: 0,
    });
    sockets.push(client);
    return client;
  }

  async function graphql<T>(replica: ServiceProcess, query: string, variables: Record<string, unknown> = {}, userId = 'alice'): Promise<T> {
    const response = await fetch(`${replica.httpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': userId },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  }

  /** Collects a subscription's events until `done` says so. */
  function collect(client: Client, query: string, variables: Record<string, unknown>, field: string) {
    const events: ReplyEventShape[] = [];
    let notify = () => {};
    let ended = false;
    const stop = client.subscribe<Record<string, ReplyEventShape>>(
      { query, variables },
      {
        next: ({ data }) => {
          events.push(data![field]!);
          notify();
        },
        error: () => ((ended = true), notify()),
        complete: () => ((ended = true), notify()),
      },
    );
    return {
      events,
      stop,
      text: () => events.map((e) => e.text ?? '').join(''),
      until: (done: (events: ReplyEventShape[]) => boolean, timeoutMs = 20_000) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`timed out; saw ${events.map((e) => e.__typename).join(',')}`)), timeoutMs);
          notify = () => {
            if (done(events) || ended) {
              clearTimeout(timer);
              resolve();
            }
          };
          notify();
        }),
    };
  }
  const ended = (events: ReplyEventShape[]) => events.some((e) => e.__typename === 'ReplyCompleted' || e.__typename === 'ReplyFailed');
  const textLongerThan = (chars: number) => (events: ReplyEventShape[]) => events.map((e) => e.text ?? '').join('').length > chars;

  it('shows a turn produced on A live on a chatEvents subscriber of B', async () => {
    openai.reply({ deltas: ['Hello ', 'from ', 'A'] });
    const first = await new ReplyReader(v1Client(a().grpcPort).SendMessage({ user_id: 'alice', content: 'Start' }, auth())).done;
    const chatId = first.seen.chatId;
    const onB = collect(ws(b()), `subscription($id: ID!) { chatEvents(chatId: $id) { ${REPLY_FIELDS} ... on ChatUpdated { chat { title } } } }`, { id: chatId }, 'chatEvents');
    // The subscription is live once a rename made on A shows up on B.
    await eventually(async () => {
      await graphql(a(), 'mutation($id: ID!) { renameChat(id: $id, title: "Shared") { id } }', { id: chatId });
      expect(onB.events.some((e) => e.__typename === 'ChatUpdated')).toBe(true);
    }, 10_000);

    openai.reply({ deltas: ['Seen ', 'on ', 'B'] });
    const turn = await new ReplyReader(v1Client(a().grpcPort).SendMessage({ user_id: 'alice', chat_id: chatId, content: 'Again' }, auth())).done;
    await onB.until(ended);
    const fromStart = onB.events.slice(onB.events.findIndex((e) => e.__typename === 'ReplyStarted'));
    expect(fromStart[0]!.assistantMessage!.id).toBe(turn.seen.messageId);
    expect(fromStart.map((e) => e.text ?? '').join('')).toBe('Seen on B');
    expect(fromStart.at(-1)).toMatchObject({ __typename: 'ReplyCompleted', message: { status: 'COMPLETE', content: 'Seen on B' } });
    onB.stop();
  });

  it('streams a WhatsApp message that reached C, and its reply, to a web client watching on A', async () => {
    const number = '+15550001111';
    const userId = `whatsapp:${number}`;
    const webhook = `${replicas[2]!.httpUrl}/webhooks/twilio/whatsapp`;
    openai.reply({ deltas: ['First ', 'answer.'] });
    expect((await twilio.postWebhook(webhook, whatsAppInbound({ from: number, body: 'Hi' }))).status).toBe(200);
    // The first answer went out through Twilio: that turn is over.
    await eventually(() => expect(twilio.messages.some((m) => m.to === userId && m.body === 'First answer.')).toBe(true), 10_000);
    const chatId = await eventually(async () => {
      const { chats } = await graphql<{ chats: { edges: { node: { id: string } }[] } }>(a(), '{ chats(first: 1) { edges { node { id } } } }', {}, userId);
      expect(chats.edges).toHaveLength(1);
      return chats.edges[0]!.node.id;
    }, 10_000);
    const onA = collect(ws(a(), userId), `subscription($id: ID!) { chatEvents(chatId: $id) { ${REPLY_FIELDS} ... on ReplyStarted { userMessage { content } } } }`, { id: chatId }, 'chatEvents');
    // The feed is live once a rename shows up on it.
    await eventually(async () => {
      await graphql(a(), 'mutation($id: ID!) { renameChat(id: $id, title: "WhatsApp") { id } }', { id: chatId }, userId);
      expect(onA.events.length).toBeGreaterThan(0);
    }, 10_000);

    openai.reply({ deltas: ['Live ', 'on ', 'the ', 'web.'] });
    expect((await twilio.postWebhook(webhook, whatsAppInbound({ from: number, body: 'Are you there?' }))).status).toBe(200);
    await onA.until(ended);
    const turn = onA.events.slice(onA.events.findIndex((e) => e.__typename === 'ReplyStarted'));
    expect(turn.length).toBeGreaterThan(1);
    expect(turn[0]).toMatchObject({ userMessage: { content: 'Are you there?' } });
    expect(turn.map((e) => e.text ?? '').join('')).toBe('Live on the web.');
    expect(turn.at(-1)).toMatchObject({ __typename: 'ReplyCompleted', message: { status: 'COMPLETE', content: 'Live on the web.' } });
    onA.stop();
  });

  it('resumes a reply of A on B with no gap and no repeat, over graphql-ws and gRPC WatchReply', async () => {
    const send = collect(ws(a()), `subscription { sendMessage(input: { content: "Count" }) { ${REPLY_FIELDS} } }`, {}, 'sendMessage');
    await send.until(textLongerThan(200));
    send.stop();
    const messageId = send.events[0]!.assistantMessage!.id;
    const shown = send.text();
    const cursor = send.events.filter((e) => e.cursor).at(-1)!.cursor!;

    const resumed = collect(
      ws(b()),
      `subscription($id: ID!, $after: String) { replyEvents(messageId: $id, after: $after) { ${REPLY_FIELDS} } }`,
      { id: messageId, after: cursor },
      'replyEvents',
    );
    const watched = new ReplyReader(v1Client(replicas[2]!.grpcPort).WatchReply({ user_id: 'alice', message_id: messageId, after: cursor }, auth()));
    await resumed.until(ended);
    expect(shown + resumed.text()).toBe(TEXT);
    expect(resumed.events.at(-1)).toMatchObject({ __typename: 'ReplyCompleted', message: { content: TEXT, status: 'COMPLETE' } });
    const { seen } = await watched.done;
    expect(shown + seen.text).toBe(TEXT);
  });

  it('stops a reply of A from B within a second, storing exactly the text delivered', async () => {
    const send = collect(ws(a()), `subscription { sendMessage(input: { content: "Go on" }) { ${REPLY_FIELDS} } }`, {}, 'sendMessage');
    await send.until(textLongerThan(50));
    const messageId = send.events[0]!.assistantMessage!.id;

    const started = performance.now();
    const { stopReply } = await graphql<{ stopReply: { status: string; content: string } }>(
      b(),
      'mutation($id: ID!) { stopReply(messageId: $id) { status content } }',
      { id: messageId },
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(stopReply.status).toBe('INCOMPLETE');
    await send.until(ended);
    expect(send.text()).toBe(stopReply.content);
    expect(send.events.at(-1)).toMatchObject({ message: { status: 'INCOMPLETE', content: stopReply.content } });
    expect(TEXT.startsWith(stopReply.content) && stopReply.content.length < TEXT.length).toBe(true);
  });

  it('refuses a send on B into a chat whose reply runs on A (CHAT_BUSY)', async () => {
    const reader = new ReplyReader(v1Client(a().grpcPort).SendMessage({ user_id: 'alice', content: 'Busy?' }, auth()));
    await reader.until(20);
    const busy = await new ReplyReader(
      v1Client(b().grpcPort).SendMessage({ user_id: 'alice', chat_id: reader.now.chatId, content: 'Me too' }, auth()),
    ).done;
    expect(busy.error?.code).toBe(status.ABORTED);
    expect(busy.error?.metadata.get('chatservice-error-code')).toEqual(['CHAT_BUSY']);
    await unary((cb) => v1Client(b().grpcPort).StopReply({ user_id: 'alice', message_id: reader.now.messageId }, auth(), cb));
    await reader.done;
  });

  it('answers an idempotent retry on B with the turn first sent on A, calling the model once', async () => {
    openai.reply({ deltas: ['Once ', 'only.'] });
    const requests = openai.requests.length;
    const mutation = `mutation { sendMessage(input: { content: "Pay once", idempotencyKey: "retry-42" }) {
      chat { id } userMessage { id } reply { id status content } } }`;
    type Sent = { sendMessage: { chat: { id: string }; userMessage: { id: string }; reply: { id: string; status: string; content: string } } };
    const first = await graphql<Sent>(a(), mutation);
    const retry = await graphql<Sent>(b(), mutation);
    expect(retry.sendMessage).toEqual(first.sendMessage);
    expect(first.sendMessage.reply).toMatchObject({ status: 'COMPLETE', content: 'Once only.' });
    expect(openai.requests.length - requests).toBe(1);
  });

  it('recovers a reply of a replica killed mid-reply with exactly the text delivered, and tells watchers on B', async () => {
    const victim = await startReplica();
    replicas.push(victim);
    const send = new ReplyReader(v1Client(victim.grpcPort).SendMessage({ user_id: 'alice', content: 'Before the crash' }, auth()));
    await send.until(100);
    const messageId = send.now.messageId;
    const watcher = collect(
      ws(b()),
      `subscription($id: ID!) { replyEvents(messageId: $id) { ${REPLY_FIELDS} } }`,
      { id: messageId },
      'replyEvents',
    );
    await watcher.until(textLongerThan(100));
    await victim.kill();
    const delivered = send.now.text;

    await watcher.until(ended, 20_000);
    const stored = await store.knex('messages').where({ id: messageId }).first('status', 'content');
    expect(stored.status).toBe('INCOMPLETE');
    // The Redis log holds every delta that left the process; the client saw at most that.
    expect(stored.content.startsWith(delivered)).toBe(true);
    expect(watcher.text()).toBe(stored.content);
    expect(watcher.events.at(-1)).toMatchObject({ message: { status: 'INCOMPLETE', content: stored.content } });
  }, 60_000);

  it('keeps every turn as its client saw it when 200 chats of 10 turns run over three replicas and one is killed and restarted', async () => {
    openai.replyAlways({ deltas: ['One ', 'two ', 'three ', 'four ', 'five.'], chunkDelayMs: 5 });
    const CHATS = 200;
    const TURNS = 10;
    const PARALLEL = 20;
    interface Seen { messageId: string; text: string; status: string | undefined }
    const seen: Seen[] = [];
    let completedTurns = 0;
    let killed: Promise<void> | undefined;

    const turnOn = async (replica: ServiceProcess, chatId: string | undefined, turn: number): Promise<{ chatId: string | undefined; completed: boolean }> => {
      const client = v1Client(replica.grpcPort);
      try {
        const { seen: reply, error } = await new ReplyReader(
          client.SendMessage({ user_id: 'alice', ...(chatId ? { chat_id: chatId } : {}), content: `Turn ${turn}` }, auth()),
        ).done;
        if (reply.messageId !== '') {
          seen.push({ messageId: reply.messageId, text: reply.text, status: reply.ending?.completed?.message?.status });
        }
        const nextChatId = reply.chatId === '' ? chatId : reply.chatId;
        const completed = error === undefined && reply.ending?.completed?.message?.status === 'MESSAGE_STATUS_COMPLETE';
        if (completed) completedTurns++;
        return { chatId: nextChatId, completed };
      } finally {
        client.close();
      }
    };

    const runChat = async (chat: number) => {
      let chatId: string | undefined;
      for (let turn = 0; turn < TURNS; ) {
        const replica = replicas[(chat + turn) % 3]!;
        const result = await turnOn(replica, chatId, turn).catch(() => ({ chatId, completed: false }));
        chatId = result.chatId;
        if (result.completed) turn++;
        else await new Promise((resolve) => setTimeout(resolve, 200)); // busy (a reply of the killed replica) or refused: try again
        if (completedTurns >= (CHATS * TURNS) / 2 && killed === undefined) {
          killed = (async () => {
            await replicas[2]!.kill();
            replicas[2] = await startReplica();
          })();
        }
      }
    };

    const queue = Array.from({ length: CHATS }, (_, i) => i);
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      for (let chat = queue.shift(); chat !== undefined; chat = queue.shift()) await runChat(chat);
    }));
    await killed;

    // Once leases expired, nothing is STREAMING and every reply is as its client saw it.
    await eventually(async () => {
      expect(await store.knex('messages').where({ status: 'STREAMING' }).count({ n: '*' }).first()).toEqual({ n: 0 });
    }, 20_000);
    const rows = new Map(
      (await store.knex('messages').whereIn('id', seen.map((s) => s.messageId)).select('id', 'status', 'content')).map((r) => [r.id, r]),
    );
    expect(seen.filter((s) => s.status === 'MESSAGE_STATUS_COMPLETE')).toHaveLength(CHATS * TURNS);
    for (const turn of seen) {
      const row = rows.get(turn.messageId)!;
      if (turn.status === 'MESSAGE_STATUS_COMPLETE') {
        expect(row).toMatchObject({ status: 'COMPLETE', content: turn.text });
      } else {
        // Cut off by the kill: stored with at least what the client saw. (COMPLETE only when the
        // replica died between storing the ending and sending it: the store is right, the client
        // finds it with replyEvents.)
        expect(['INCOMPLETE', 'FAILED', 'COMPLETE']).toContain(row.status);
        expect(row.content.startsWith(turn.text)).toBe(true);
      }
    }
  }, 180_000);

  it('without Redis: a running reply finishes and is stored, /readyz says so, new sends are UNAVAILABLE, and all recovers once Redis is back', async () => {
    openai.replyAlways({ deltas: WORDS, chunkDelayMs: 10 });
    const client = v1Client(a().grpcPort);
    const running = new ReplyReader(client.SendMessage({ user_id: 'alice', content: 'Through the outage' }, auth()));
    await running.until(50);

    await redis.shutDown();
    try {
      expect((await fetch(`${a().httpUrl}/readyz`)).status).toBe(503);
      const refused = await new ReplyReader(client.SendMessage({ user_id: 'alice', content: 'Now?' }, auth())).done;
      expect(refused.error?.code).toBe(status.UNAVAILABLE);
      expect(refused.error?.metadata.get('chatservice-error-code')).toEqual(['UNAVAILABLE']);

      const { seen, error } = await running.done;
      expect(error).toBeUndefined();
      expect(seen.ending?.completed?.message).toMatchObject({ status: 'MESSAGE_STATUS_COMPLETE', content: TEXT });
      expect(await store.knex('messages').where({ id: seen.messageId }).first('status', 'content')).toEqual({ status: 'COMPLETE', content: TEXT });
    } finally {
      await redis.restart();
    }

    await eventually(async () => expect((await fetch(`${a().httpUrl}/readyz`)).status).toBe(200), 15_000);
    openai.replyAlways({ deltas: ['Back ', 'again.'] });
    await eventually(async () => {
      const again = await new ReplyReader(v1Client(b().grpcPort).SendMessage({ user_id: 'alice', content: 'And now?' }, auth())).done;
      expect(again.seen.text).toBe('Back again.');
    }, 15_000);
    client.close();
  }, 60_000);
});
