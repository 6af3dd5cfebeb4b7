import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { FakeOpenAI } from '../support/fake-openai.js';
import { openStore, storeEngines, type TestStore } from '../support/stores.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { SERVICE_TOKEN } from '../support/test-app.js';
import { auth, legacyClient, v1Client } from '../grpc/support/grpc-clients.js';
import { ReplyReader } from '../support/reply-reader.js';

/**
 * SIGTERM while 20 long replies stream, over gRPC v1, the original
 * ChatStream and graphql-ws: the process exits 0, every stream ends
 * properly, and every reply is stored with exactly the text its client got.
 */

const WORDS = Array.from({ length: 2_000 }, (_, i) => `w${i} `);
const GRACE_MS = 1_000;

describe.each(storeEngines())('SIGTERM during long replies on %s', (engine) => {
  let openai: FakeOpenAI;
  let store: TestStore;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    // 2,000 words, one every 10 ms: 20 s, far longer than the grace period.
    openai = await FakeOpenAI.start({ reply: { deltas: WORDS, chunkDelayMs: 10 } });
    store = await openStore(engine, { migrate: false });
  });
  // A test that fails before its SIGTERM must not leave the service running.
  afterEach(async () => {
    await service?.kill();
    service = undefined;
  });
  afterAll(async () => {
    await openai?.close();
    await store?.close();
  });

  it('exits 0 and stores each reply with exactly the text its client was shown', async () => {
    service = await startServiceProcess({
      DATABASE_URL: store.databaseUrl,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-test',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
    const v1 = v1Client(service.grpcPort);
    const legacy = legacyClient(service.grpcPort);
    const ws = createClient({
      url: `${service.httpUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${SERVICE_TOKEN}`, userId: 'alice' },
      retryAttempts: 0,
    });

    const v1Replies = Array.from({ length: 10 }, (_, i) => new ReplyReader(v1.SendMessage({ user_id: 'alice', content: `v1 ${i}` }, auth())));
    const legacyReplies = Array.from({ length: 5 }, (_, i) => legacyReply(legacy.ChatStream({ user_id: 'alice', user_message: `legacy ${i}` }, auth())));
    const wsReplies = Array.from({ length: 5 }, (_, i) => graphqlReply(ws, `ws ${i}`));
    await Promise.all([...v1Replies.map((r) => r.until(20)), ...legacyReplies.map((r) => r.until(20)), ...wsReplies.map((r) => r.until(20))]);

    expect(await service.terminate()).toBe(0);

    const rows = new Map(
      (await store.knex('messages').where({ role: 'ASSISTANT' }).select('id', 'chat_id', 'status', 'content')).map((row) => [row.id, row]),
    );
    expect(rows.size).toBe(20);
    for (const row of rows.values()) expect(row.status).toBe('INCOMPLETE');

    for (const reader of v1Replies) {
      const { seen, error } = await reader.done;
      expect(error).toBeUndefined();
      expect(seen.ending?.completed?.message).toMatchObject({ status: 'MESSAGE_STATUS_INCOMPLETE', content: seen.text });
      expect(rows.get(seen.messageId)?.content).toBe(seen.text);
    }
    for (const reply of legacyReplies) {
      const { chatId, content, error } = await reply.done;
      expect(error).toBeUndefined();
      expect([...rows.values()].find((row) => row.chat_id === chatId)?.content).toBe(content);
    }
    for (const reply of wsReplies) {
      const { messageId, text, ending } = await reply.done;
      expect(ending).toMatchObject({ __typename: 'ReplyCompleted', message: { status: 'INCOMPLETE', content: text } });
      expect(rows.get(messageId)?.content).toBe(text);
    }
    v1.close();
    legacy.close();
    await ws.dispose();
  }, 60_000);
});

/** The original ChatStream: each frame holds the whole text so far. */
function legacyReply(call: ReturnType<ReturnType<typeof legacyClient>['ChatStream']>) {
  let chatId = '';
  let content = '';
  const waiters: { chars: number; resolve: () => void }[] = [];
  call.on('data', (frame: { chat_id: string; content: string }) => {
    chatId = frame.chat_id;
    content = frame.content;
    for (const waiter of waiters.splice(0)) (content.length >= waiter.chars ? waiter.resolve : () => waiters.push(waiter))();
  });
  const done = new Promise<{ chatId: string; content: string; error: Error | undefined }>((resolve) => {
    call.on('error', (error: Error) => resolve({ chatId, content, error }));
    call.on('end', () => resolve({ chatId, content, error: undefined }));
  });
  return {
    done,
    until: (chars: number) => (content.length >= chars ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ chars, resolve }))),
  };
}

interface GraphQLEvent {
  __typename: string;
  text?: string;
  assistantMessage?: { id: string };
  message?: { status: string; content: string };
}

/** A sendMessage subscription over graphql-ws, read to its end. */
function graphqlReply(client: ReturnType<typeof createClient>, content: string) {
  let messageId = '';
  let text = '';
  let ending: GraphQLEvent | undefined;
  const waiters: { chars: number; resolve: () => void }[] = [];
  const done = new Promise<{ messageId: string; text: string; ending: GraphQLEvent | undefined }>((resolve, reject) => {
    client.subscribe<{ sendMessage: GraphQLEvent }>(
      {
        query: `subscription($input: SendMessageInput!) { sendMessage(input: $input) { __typename
          ... on ReplyStarted { assistantMessage { id } } ... on ReplyDelta { text }
          ... on ReplyCompleted { message { status content } } ... on ReplyFailed { message { status content } } } }`,
        variables: { input: { content } },
      },
      {
        next: ({ data }) => {
          const event = data!.sendMessage;
          if (event.__typename === 'ReplyStarted') messageId = event.assistantMessage!.id;
          else if (event.__typename === 'ReplyDelta') text += event.text;
          else ending = event;
          for (const waiter of waiters.splice(0)) (text.length >= waiter.chars ? waiter.resolve : () => waiters.push(waiter))();
        },
        error: reject,
        complete: () => resolve({ messageId, text, ending }),
      },
    );
  });
  return {
    done,
    until: (chars: number) => (text.length >= chars ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ chars, resolve }))),
  };
}
