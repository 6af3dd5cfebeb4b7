import { status } from '@grpc/grpc-js';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { FakeOpenAI } from '../support/fake-openai.js';
import { startThrowawayServer, type ThrowawayServer } from '../support/mariadb-server.js';
import { mysqlServerUrl } from '../support/stores.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { SERVICE_TOKEN } from '../support/test-app.js';
import { auth, unary, v1Client } from '../grpc/support/grpc-clients.js';
import { ReplyReader } from '../support/reply-reader.js';

/**
 * The service on its own MariaDB, which the test freezes (SIGSTOP), thaws,
 * kills and restarts while requests and replies run: requests fail fast
 * with UNAVAILABLE, /readyz answers 503 within a second, the service
 * recovers by itself, what clients were told is what the store holds, and
 * no reply stays STREAMING.
 */

const WORDS = Array.from({ length: 300 }, (_, i) => `w${i} `);
const TEXT = WORDS.join('');

describe.skipIf(mysqlServerUrl() === null)('a database outage', () => {
  let database: ThrowawayServer;
  let openai: FakeOpenAI;
  let service: ServiceProcess;
  let sql: Knex;

  beforeAll(async () => {
    database = await startThrowawayServer();
    openai = await FakeOpenAI.start({ reply: { deltas: WORDS, chunkDelayMs: 10 } });
    service = await startServiceProcess({
      DATABASE_URL: database.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-test',
      REPLY_LEASE_MS: '3000',
      REPLY_CHECKPOINT_MS: '200',
    });
    sql = knex({ client: 'mysql2', connection: database.url, pool: { min: 0, max: 2 } });
  }, 90_000);
  afterAll(async () => {
    await service?.kill();
    await sql?.destroy();
    await openai?.close();
    database?.thaw();
    await database?.stop();
  });

  /** Runs `request` and returns how long it took, with what it answered. */
  async function timed<T>(request: () => Promise<T>): Promise<{ ms: number; result: T }> {
    const started = performance.now();
    const result = await request();
    return { ms: performance.now() - started, result };
  }

  const readyz = () => fetch(`${service.httpUrl}/readyz`).then((r) => r.status);
  const listChats = () =>
    fetch(`${service.httpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'alice' },
      body: JSON.stringify({ query: '{ chats(first: 5) { edges { node { id } } } }' }),
    }).then(async (r) => (await r.json()) as { errors?: { extensions: { code: string } }[] });
  const legacyChat = () =>
    fetch(`${service.httpUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
      body: JSON.stringify({ user_id: 'alice', user_message: 'Are you there?' }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }));

  async function expectFastUnavailable(): Promise<void> {
    const ready = await timed(readyz);
    expect(ready.result).toBe(503);
    expect(ready.ms).toBeLessThan(1_000);

    const graphql = await timed(listChats);
    expect(graphql.result.errors?.[0]?.extensions.code).toBe('UNAVAILABLE');
    expect(graphql.ms).toBeLessThan(3_000);

    const http = await timed(legacyChat);
    expect(http.result).toMatchObject({ status: 503, body: { error: { code: 'UNAVAILABLE' } } });
    expect(http.ms).toBeLessThan(3_000);

    const client = v1Client(service.grpcPort);
    const grpc = await timed(() => unary((cb) => client.ListChats({ user_id: 'alice' }, auth(), cb)).catch((error: unknown) => error));
    client.close();
    expect((grpc.result as { code?: number }).code).toBe(status.UNAVAILABLE);
    expect(grpc.ms).toBeLessThan(3_000);
  }

  async function expectStoredAsTold(reader: ReplyReader): Promise<void> {
    const { seen, error } = await reader.done;
    expect(error).toBeUndefined();
    const told = seen.ending?.completed?.message ?? seen.ending?.failed?.message;
    const row = await sql('messages').where({ id: seen.messageId }).first('status', 'content');
    expect(row).toEqual({ status: told!.status.replace('MESSAGE_STATUS_', ''), content: told!.content });
    expect(seen.text).toBe(row.content);
    expect(await sql('messages').where({ status: 'STREAMING' }).count({ n: '*' }).first()).toEqual({ n: 0 });
  }

  it('fails requests fast while the database is frozen, finishes the running reply once it thaws, and is ready again', async () => {
    const client = v1Client(service.grpcPort);
    const reader = new ReplyReader(client.SendMessage({ user_id: 'alice', content: 'A long answer, please' }, auth()));
    await reader.until(100);

    database.freeze();
    try {
      await expectFastUnavailable();
      // Frozen past the reply's end and past its lease: the final write waits, nothing gives it away.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
    } finally {
      database.thaw();
    }

    await eventually(async () => expect(await readyz()).toBe(200), 15_000);
    await expectStoredAsTold(reader);
    expect(reader.now.text).toBe(TEXT);
    client.close();
  }, 60_000);

  it('fails requests fast while the database is down, and stores the running reply once it is back', async () => {
    const client = v1Client(service.grpcPort);
    const reader = new ReplyReader(client.SendMessage({ user_id: 'alice', content: 'Another long answer' }, auth()));
    await reader.until(100);

    await database.shutDown();
    try {
      await expectFastUnavailable();
    } finally {
      await database.restart();
    }

    await eventually(async () => expect(await readyz()).toBe(200), 15_000);
    await expectStoredAsTold(reader);
    const chats = await listChats();
    expect(chats.errors).toBeUndefined();
    client.close();
  }, 60_000);
});
