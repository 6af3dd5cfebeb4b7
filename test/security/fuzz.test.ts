import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { SERVICE_TOKEN } from '../support/test-app.js';
import { startWhatsAppApp, type WhatsAppTestApp } from '../whatsapp/whatsapp-test-app.js';
import { grpcFrame, rawGrpcCall } from './support/raw-grpc.js';

/*
 * Random and malformed input against the running service, for a bounded
 * time per channel. Whatever arrives: the process stays up, every answer
 * carries one of our stable codes (and never INTERNAL: random input is the
 * caller's mistake), nothing internal leaks, and a refused request stores nothing.
 */

const TIME_PER_CHANNEL_MS = 4_000;
const RUNS_PER_CHANNEL = 300;
const settings = { numRuns: RUNS_PER_CHANNEL, interruptAfterTimeLimit: TIME_PER_CHANNEL_MS, markInterruptAsFailure: false };

// What only our internals could have written: none of it can come from the generators below.
const LEAK = /\bat [\w.<>]+ \(|node_modules|\/work\/|RangeError|call stack|SQLITE_|ER_[A-Z_]+|knex|better-sqlite3|mysql2|ECONNREFUSED/;
const STABLE_CODES = new Set<string>(ERROR_CODES.filter((code) => code !== 'INTERNAL'));
const TABLES = ['chats', 'messages', 'whatsapp_inbound_messages'] as const;

const GRAPHQL_TOKENS = [
  '{', '}', '[', ']', '(', ')', ':', '$', '!', '=', '@', '...', '|', '&', ',',
  'query', 'mutation', 'subscription', 'fragment', 'on', 'F', 'chats', 'chat', 'models', 'personas', 'tokenCount',
  'createChat', 'sendMessage', 'stopReply', 'deleteChat', 'renameChat', 'endChat', 'chatEvents', '__schema', '__type',
  'ofType', 'types', 'fields', 'name', 'id', 'edges', 'node', 'input', 'content', 'title', 'first', 'after',
  'messages', 'model', 'role', 'USER', '"gpt-4o"', '"x"', '"alice "', '1', '-1', '1e309', '99999999999', 'true',
  'null', '$v', '$input', '#c\n', '"""b"""', '"\\u0000"', '"\\uD800"', '@include(if: true)', '@skip(if: $v)',
];

const graphqlDocument = fc.oneof(
  fc.array(fc.constantFrom(...GRAPHQL_TOKENS), { maxLength: 80 }).map((tokens) => tokens.join(' ')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.constantFrom('[', '{', '(', '{ a: '), fc.integer({ min: 1, max: 6_000 })).map(([open, depth]) => `{ tokenCount(model: "x", messages: ${open.repeat(depth)}) }`),
);

const variables = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.record({ input: fc.record({ content: fc.string({ unit: 'binary', maxLength: 50 }), chatId: fc.option(fc.string({ maxLength: 40 })), model: fc.option(fc.string({ maxLength: 40 })) }, { requiredKeys: [] }) }),
);

describe('Fuzzing a running service', () => {
  let app: WhatsAppTestApp;
  beforeAll(async () => {
    app = await startWhatsAppApp('sqlite', { openai: false });
  });
  afterAll(async () => {
    await app?.stop();
  });

  async function rowCounts(): Promise<number[]> {
    return Promise.all(TABLES.map((table) => app.countRows(table)));
  }

  /** Posts and checks the answer's shape; returns whether the request was refused. */
  async function post(path: string, body: string, headers: Record<string, string>): Promise<{ refused: boolean }> {
    const response = await fetch(`${app.httpUrl}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    expect(text).not.toMatch(LEAK);
    expect(response.status).not.toBe(500);
    if (path === '/webhooks/twilio/whatsapp' && response.status === 200) return { refused: false };
    const json = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[]; error?: { code: string }; data?: unknown };
    const codes = [...(json.errors ?? []).map((error) => error.extensions?.code), ...(json.error ? [json.error.code] : [])];
    for (const code of codes) expect(STABLE_CODES).toContain(code);
    return { refused: codes.length > 0 && (json.data === undefined || json.data === null) };
  }

  async function expectNothingStoredWhenRefused(run: () => Promise<{ refused: boolean }>): Promise<void> {
    const before = await rowCounts();
    const { refused } = await run();
    if (refused) expect(await rowCounts()).toEqual(before);
  }

  const graphqlHeaders = { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'fuzz' };

  it('survives random and malformed GraphQL documents', async () => {
    await fc.assert(
      fc.asyncProperty(graphqlDocument, fc.boolean(), async (query, withCredentials) => {
        const headers = withCredentials ? graphqlHeaders : { 'content-type': 'application/json' };
        await expectNothingStoredWhenRefused(() => post('/graphql', JSON.stringify({ query }), headers));
      }),
      settings,
    );
  });

  it('survives random variables', async () => {
    const query = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply { content } error { code } } }';
    await fc.assert(
      fc.asyncProperty(variables, async (vars) => {
        await expectNothingStoredWhenRefused(() => post('/graphql', JSON.stringify({ query, variables: vars }), graphqlHeaders));
      }),
      settings,
    );
  });

  it('survives random JSON bodies on every JSON endpoint', async () => {
    const body = fc.oneof(fc.json({ maxDepth: 8 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 1, max: 50_000 }).map((n) => '['.repeat(n)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/graphql', '/chat'), body, async (path, text) => {
        await expectNothingStoredWhenRefused(() => post(path, text, { ...graphqlHeaders, 'content-type': 'application/json' }));
      }),
      settings,
    );
  });

  it('survives random protobuf bytes on every gRPC method', async () => {
    const methods = [
      '/chatservice.v1.ChatService/ListChats',
      '/chatservice.v1.ChatService/GetChat',
      '/chatservice.v1.ChatService/DeleteChat',
      '/chatservice.v1.ChatService/StopReply',
      '/chatservice.v1.ChatService/SendMessage',
      '/pb.ChatService/ChatStream',
    ];
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => grpcFrame(bytes)),
      fc.uint8Array({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), body, async (method, bytes) => {
        const before = await rowCounts();
        const answer = await rawGrpcCall(app.grpcPort, method, bytes);
        expect(answer.grpcStatus).toBeGreaterThanOrEqual(0);
        expect(answer.grpcStatus).toBeLessThanOrEqual(16);
        expect(answer.message).not.toMatch(LEAK);
        if (answer.grpcStatus !== 0) expect(await rowCounts()).toEqual(before);
      }),
      settings,
    );
  });

  // Last: the replies to accepted messages may still be running when it ends.
  it('survives random webhook forms, signed and unsigned', async () => {
    const field = fc.oneof(fc.constantFrom('From', 'To', 'Body', 'MessageSid', 'NumMedia', 'AccountSid', 'MediaUrl0', 'ProfileName'), fc.string({ maxLength: 12 }));
    const value = fc.oneof(fc.constantFrom('whatsapp:+15551234567', 'whatsapp:+1 555', '0', '-1', '99999', 'SM00000000000000000000000000000000'), fc.string({ unit: 'binary', maxLength: 80 }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(field, value, { maxKeys: 8 }), fc.boolean(), async (fields, signed) => {
        // Accepted messages are answered in the background; only the inbound record is written at once.
        const before = await app.countRows('whatsapp_inbound_messages');
        const answer = await app.twilio.postWebhook(app.webhookUrl, fields, signed ? {} : { signature: 'forged' });
        expect(answer.body).not.toMatch(LEAK);
        expect(answer.status).not.toBe(500);
        if (answer.status !== 200) {
          expect(STABLE_CODES).toContain((JSON.parse(answer.body) as { error: { code: string } }).error.code);
          expect(await app.countRows('whatsapp_inbound_messages')).toBe(before);
        }
      }),
      settings,
    );
  });

  afterAll(async () => {
    // Still up and serving after all of it.
    const response = await fetch(`${app.httpUrl}/graphql`, { method: 'POST', headers: graphqlHeaders, body: JSON.stringify({ query: '{ models { name } }' }) });
    expect(response.status).toBe(200);
  });
});
