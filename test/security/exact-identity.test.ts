import { status } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ChatDocument, ChatsDocument, CreateChatDocument } from '../graphql/generated/graphql.js';
import { data, execute, withTimeout, wsClient } from '../graphql/graphql-clients.js';
import { auth, unary, unaryError, v1Client } from '../grpc/support/grpc-clients.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const JWT_SECRET = 'a-test-secret-of-at-least-32-characters!';
const jwtFor = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));

// Look like alice to a person, or to a PAD SPACE collation; none of them is alice.
const REFUSED_USER_IDS = ['alice ', ' alice', 'alice\u0000', 'alice\t', 'alice\n', '\u00a0alice', 'ali\u0007ce'];

describe.each(storeEngines())('Exact identity on %s', (engine) => {
  const app = useTestApp(engine, { openai: false, env: { JWT_SECRET } });

  async function aliceChat(): Promise<string> {
    return (await data(app(), CreateChatDocument, { input: { title: "Alice's" } }, { userId: 'alice' })).createChat.id;
  }

  async function countRows(table: string): Promise<number> {
    const row = await app().app.knex(table).count({ count: '*' }).first();
    return Number(row?.count ?? 0);
  }

  it('compares ids in the store byte for byte: no padding, no case folding', async () => {
    const chatId = await aliceChat();
    const chats = () => app().app.knex('chats');
    expect(await chats().where('user_id', 'alice').select('id')).toEqual([{ id: chatId }]);
    for (const lookalike of ['alice ', 'ALICE', 'Alice', 'alice\u0000']) {
      expect(await chats().where('user_id', lookalike).select('id')).toEqual([]);
    }
    expect(await chats().where('id', `${chatId} `).select('id')).toEqual([]);
    expect(await chats().where('id', chatId.toUpperCase()).select('id')).toEqual([]);
    expect(await app().app.knex('messages').where('chat_id', `${chatId} `).select('id')).toEqual([]);
  });

  it('gives a different-case user id none of alice\'s chats', async () => {
    await aliceChat();
    expect((await data(app(), ChatsDocument, {}, { userId: 'ALICE' })).chats.edges).toEqual([]);
    const grpc = v1Client(app().grpcPort);
    try {
      expect(await unary((cb) => grpc.ListChats({ user_id: 'ALICE' }, auth(), cb))).toMatchObject({ chats: [] });
    } finally {
      grpc.close();
    }
  });

  it('resolves no chat by an id with a trailing space, on GraphQL and gRPC', async () => {
    const chatId = await aliceChat();
    expect((await data(app(), ChatDocument, { id: `${chatId} ` }, { userId: 'alice' })).chat).toBeNull();
    const grpc = v1Client(app().grpcPort);
    try {
      const error = await unaryError(unary((cb) => grpc.GetChat({ user_id: 'alice', chat_id: `${chatId} ` }, auth(), cb)));
      expect(error.code).toBe(status.NOT_FOUND);
    } finally {
      grpc.close();
    }
  });

  // HTTP header values carry no surrounding whitespace (RFC 9110 §5.5: parsers strip it), and
  // Node refuses control characters other than tab in them; a tab inside is what can arrive.
  it('refuses an x-user-id header with a control character over GraphQL HTTP with INVALID_INPUT', async () => {
    await aliceChat();
    const result = await rawHttpGraphQL(app(), 'ali\tce');
    expect(result).toMatchObject({ errors: [{ extensions: { code: 'INVALID_INPUT' } }] });
  });

  it.each(REFUSED_USER_IDS)('refuses connectionParams.userId %j over WebSocket', async (userId) => {
    let closed: { code: number } | undefined;
    const client = wsClient(app(), { userId }, (event) => (closed = event));
    try {
      const outcome = await withTimeout(
        new Promise((resolve) => client.subscribe({ query: '{ chats { edges { node { id } } } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') })),
        10_000,
        'the refusal',
      );
      expect(outcome).toMatchObject({ code: 4403 });
      expect(closed?.code).toBe(4403);
    } finally {
      await client.dispose();
    }
  });

  it.each(REFUSED_USER_IDS)('refuses the gRPC user_id %j with INVALID_ARGUMENT', async (userId) => {
    const chatId = await aliceChat();
    const grpc = v1Client(app().grpcPort);
    try {
      expect((await unaryError(unary((cb) => grpc.ListChats({ user_id: userId }, auth(), cb)))).code).toBe(status.INVALID_ARGUMENT);
      expect((await unaryError(unary((cb) => grpc.GetChat({ user_id: userId, chat_id: chatId }, auth(), cb)))).code).toBe(status.INVALID_ARGUMENT);
    } finally {
      grpc.close();
    }
  });

  it.each(REFUSED_USER_IDS)('refuses the legacy HTTP user_id %j with 400 and stores nothing', async (userId) => {
    const chatId = await aliceChat();
    const messages = await countRows('messages');
    for (const body of [{ user_id: userId, user_message: 'hi' }, { chat_id: chatId, user_id: userId, user_message: 'hi' }]) {
      const response = await app().postJson('/chat', body);
      expect(response).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    }
    expect(await countRows('messages')).toBe(messages);
    expect(await countRows('chats')).toBe(1);
  });

  it.each(REFUSED_USER_IDS)('refuses a JWT whose subject is %j with UNAUTHENTICATED', async (sub) => {
    await aliceChat();
    const result = await execute(app(), ChatsDocument, {}, { authorization: `Bearer ${await jwtFor(sub)}`, userId: '' });
    expect(result).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(result.data ?? null).toBeNull();
  });

  it('still serves alice herself on every channel', async () => {
    const chatId = await aliceChat();
    const viaJwt = await data(app(), ChatsDocument, {}, { authorization: `Bearer ${await jwtFor('alice')}`, userId: '' });
    expect(viaJwt.chats.edges.map((edge) => edge.node.id)).toEqual([chatId]);
    const grpc = v1Client(app().grpcPort);
    try {
      const listed = await unary<{ chats: { id: string }[] }>((cb) => grpc.ListChats({ user_id: 'alice' }, auth(), cb));
      expect(listed.chats.map((chat) => chat.id)).toEqual([chatId]);
    } finally {
      grpc.close();
    }
  });
});

/** A GraphQL POST over a raw HTTP/1.1 request, so the x-user-id header keeps the bytes the client sent. */
async function rawHttpGraphQL(app: TestApp, userId: string): Promise<unknown> {
  const { request } = await import('node:http');
  const body = JSON.stringify({ query: '{ chats { edges { node { title } } } }' });
  const url = new URL(`${app.httpUrl}/graphql`);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer test-service-token' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    // setHeader validates values; a leading/trailing space is legal on the wire and preserved by Node's client.
    req.setHeader('x-user-id', userId);
    req.end(body);
  });
}
