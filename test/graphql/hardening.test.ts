import { SignJWT } from 'jose';
import { print } from 'graphql';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Authenticator } from '../../src/channels/auth/authenticator.js';
import { StreamLifecycle } from '../../src/channels/graphql/lifecycle.js';
import { GRAPHQL_LIMITS } from '../../src/channels/graphql/limits.js';
import { createGraphQLServer } from '../../src/channels/graphql/yoga.js';
import { createLogger } from '../../src/infra/logging/logger.js';
import { SERVICE_TOKEN, startTestApp, useTestApp, type TestApp } from '../support/test-app.js';
import * as documents from './generated/graphql.js';
import { ChatsDocument, CreateChatDocument, ModelsDocument } from './generated/graphql.js';
import { data, execute, executeRaw, subscribeRaw, withTimeout, wsClient } from './graphql-clients.js';

const TOO_DEEP = `{
  chats { edges { node { id } } }
  __type(name: "Chat") { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }
}`;
const TOO_MANY_ALIASES = `mutation { ${Array.from({ length: GRAPHQL_LIMITS.aliases + 1 }, (_, i) => `c${i}: createChat(input: { title: "c${i}" }) { id }`).join(' ')} }`;
const TOO_COSTLY = `{
  chats(first: 100) { edges { node { messages(first: 100) { edges { node { content usage { promptTokens } } } } } } }
}`;
const TOO_LONG = `{ ${Array.from({ length: GRAPHQL_LIMITS.tokens }, (_, i) => `m${i % 10}: models { name }`).join(' ')} }`;

describe('GraphQL hardening', () => {
  const app = useTestApp('sqlite');

  /** Counts SQL queries while `run` runs: 0 means no resolver touched the store. */
  async function sqlDuring<T>(run: () => Promise<T>): Promise<{ result: T; queries: number }> {
    let queries = 0;
    const count = () => (queries += 1);
    app().app.knex.on('query', count);
    try {
      return { result: await run(), queries };
    } finally {
      app().app.knex.off('query', count);
    }
  }

  describe('passes the GraphQL-over-HTTP audit of graphql-http', () => {
    const audits = serverAudits({
      url: () => `${app().httpUrl}/graphql`,
      fetchFn: (input: string, init: RequestInit = {}) =>
        fetch(input, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'auditor' },
        }),
    }).filter((audit) => audit.name.startsWith('MUST'));

    it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  });

  it.each([
    ['too deep', TOO_DEEP, /depth limit/],
    ['too many aliases', TOO_MANY_ALIASES, /Aliases limit/i],
    ['too costly', TOO_COSTLY, /Cost limit/],
    ['too many tokens', TOO_LONG, /Token limit/],
  ])('refuses a document that is %s over HTTP before any resolver runs', async (_name, query, message) => {
    const { result, queries } = await sqlDuring(() => executeRaw(app(), query));
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'INVALID_INPUT' } });
    expect(result.data).toBeUndefined();
    expect(queries).toBe(0);
  });

  it.each([
    ['too deep', TOO_DEEP, /depth limit/],
    ['too many aliases', TOO_MANY_ALIASES, /Aliases limit/i],
    ['too costly', TOO_COSTLY, /Cost limit/],
    ['too many tokens', TOO_LONG, /Token limit/],
  ])('refuses a document that is %s over WebSocket before any resolver runs', async (_name, query, message) => {
    const client = wsClient(app());
    try {
      const { result, queries } = await sqlDuring(() =>
        withTimeout(
          new Promise<unknown>((resolve) => {
            client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve('complete') });
          }),
          5_000,
          'the refusal',
        ),
      );
      expect(result).toEqual([
        expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code: 'INVALID_INPUT' }) }),
      ]);
      expect(queries).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('admits every operation of the codegen documents, even with 100 items per list', async () => {
    const yoga = createGraphQLServer({
      core: app().app.core,
      auth: new Authenticator({ serviceTokens: [SERVICE_TOKEN] }),
      logger: createLogger({ level: 'silent' }),
      production: true,
      lifecycle: new StreamLifecycle(),
    });
    const { schema, parse, validate } = yoga.getEnveloped({} as never);
    const operations = Object.entries(documents).filter(([name]) => name.endsWith('Document'));
    expect(operations.length).toBeGreaterThanOrEqual(13);
    for (const [name, document] of operations) {
      // The cost limit multiplies by literal `first` values: check the largest page there is.
      const text = print(document as never).replace('$first: Int, ', '').replace(/\bfirst: \$first\b/g, 'first: 100');
      expect({ name, errors: validate(schema, parse(text)) }).toEqual({ name, errors: [] });
    }
  });

  it('masks an internal failure as INTERNAL, with no SQL, stack or host in the response', async () => {
    const broken = await startTestApp('sqlite', { openai: false });
    try {
      await data(broken, CreateChatDocument, { input: { title: 'about to break' } });
      await broken.app.knex.raw('ALTER TABLE chats RENAME TO chats_moved');
      const response = await fetch(`${broken.httpUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'alice' },
        body: JSON.stringify({ query: print(ChatsDocument) }),
      });
      const body = await response.text();
      expect(JSON.parse(body)).toEqual({
        data: null,
        errors: [{ message: 'Internal error', locations: expect.any(Array), path: ['chats'], extensions: { code: 'INTERNAL' } }],
      });
      expect(body).not.toMatch(/select|sqlite|chats_moved|no such table|\bat\s|127\.0\.0\.1|localhost|stack/i);
    } finally {
      await broken.stop();
    }
  });

  it('answers without credentials, or with bad ones, UNAUTHENTICATED with HTTP 401', async () => {
    for (const authorization of [null, 'Bearer wrong-token', 'wrong-token']) {
      const result = await execute(app(), ModelsDocument, {}, { authorization });
      expect(result).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const noUser = await execute(app(), ModelsDocument, {}, { userId: '' });
    expect(noUser.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    // The original service's form, without "Bearer", works too.
    expect((await execute(app(), ModelsDocument, {}, { authorization: SERVICE_TOKEN })).errors).toBeUndefined();
  });

  it('answers GET queries without any extra header, and gives a cross-site request (no credentials) nothing', async () => {
    const url = `${app().httpUrl}/graphql?query=${encodeURIComponent('{ models { name } }')}`;
    const auth = { authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'alice' };
    expect((await fetch(url, { headers: auth })).status).toBe(200);
    // What a browser can send cross-site: no Authorization header, so no identity and no effect.
    expect((await fetch(url)).status).toBe(401);
    const form = await fetch(`${app().httpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('mutation { createChat(input: {}) { id } }')}`,
    });
    expect([401, 415]).toContain(form.status);
    expect((await data(app(), ChatsDocument, {})).chats.edges).toEqual([]);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(`${app().httpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'alice' },
      body: JSON.stringify([{ query: '{ models { name } }' }, { query: '{ personas { id } }' }]),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).not.toContain('"models"');
  });

  it('refuses a request body over the size limit with MESSAGE_TOO_LARGE', async () => {
    const result = await executeRaw(app(), '{ models { name } }', { padding: 'x'.repeat(300 * 1024) });
    expect(result).toMatchObject({ status: 413, errors: [{ extensions: { code: 'MESSAGE_TOO_LARGE' } }] });
  });

  it('serves GraphiQL and introspection outside production', async () => {
    const page = await fetch(`${app().httpUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
    const result = await executeRaw(app(), '{ __schema { queryType { name } } }');
    expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  describe('over WebSocket', () => {
    it('closes the socket with 4403 when connectionParams carry a bad credential', async () => {
      for (const identity of [{ authorization: 'Bearer wrong' }, { authorization: null }, { userId: '' }]) {
        let closed: { code: number } | undefined;
        const client = wsClient(app(), identity, (event) => (closed = event));
        const outcome = await new Promise((resolve) => client.subscribe({ query: '{ models { name } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') }));
        expect(outcome).toMatchObject({ code: 4403 });
        expect(closed?.code).toBe(4403);
        await client.dispose();
      }
    });

    it('closes a socket whose frame exceeds the size limit', async () => {
      const socket = await openSocket(app());
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${SERVICE_TOKEN}`, userId: 'alice' } }));
      const closed = closeOf(socket);
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ models { name } } # ${'x'.repeat(300 * 1024)}` } }));
      expect((await closed).code).toBe(1009);
    });

    it('closes a socket that does not initialise within the timeout with 4408', async () => {
      const socket = await openSocket(app());
      expect((await closeOf(socket)).code).toBe(4408);
    });
  });
});

describe('GraphQL in production', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('sqlite', { openai: false, env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('refuses introspection', async () => {
    const result = await executeRaw(app, '{ __schema { queryType { name } } }');
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    expect(result.data).toBeUndefined();
  });

  it('suggests no field names', async () => {
    const result = await executeRaw(app, '{ chatz { edges { cursor } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(result)).not.toMatch(/Did you mean|"chats"/);
  });

  it('serves no GraphiQL', async () => {
    const page = await fetch(`${app.httpUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it('still answers queries', async () => {
    expect((await data(app, ModelsDocument, {})).models.length).toBeGreaterThan(0);
  });
});

describe('GraphQL with end-user JWTs', () => {
  const SECRET = 'a-test-secret-of-at-least-32-characters!';
  const app = useTestApp('sqlite', { openai: false, env: { JWT_SECRET: SECRET } });
  const tokenFor = (sub: string) =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));

  it('acts as the token subject over HTTP and WebSocket, and never as another user', async () => {
    const authorization = `Bearer ${await tokenFor('carol')}`;
    const { createChat } = await data(app(), CreateChatDocument, { input: { title: "Carol's" } }, { authorization, userId: '' });
    expect((await data(app(), ChatsDocument, {}, { authorization, userId: 'carol' })).chats.edges.map((e) => e.node.id)).toEqual([createChat.id]);
    const asDave = await execute(app(), ChatsDocument, {}, { authorization, userId: 'dave' });
    expect(asDave.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await data(app(), ChatsDocument, {}, { userId: 'carol' })).chats.edges).toHaveLength(1);

    const client = wsClient(app(), { authorization, userId: '' });
    try {
      const result = await new Promise((resolve) =>
        client.subscribe({ query: '{ chats { edges { node { title } } } }' }, { next: resolve, error: resolve, complete: () => {} }),
      );
      expect(result).toEqual({ data: { chats: { edges: [{ node: { title: "Carol's" } }] } } });
    } finally {
      await client.dispose();
    }
    const events = await subscribeRaw(app(), 'subscription($id: ID!) { chatEvents(chatId: $id) { __typename } }', { id: createChat.id }, { authorization: `Bearer ${await tokenFor('dave')}`, userId: '' });
    expect(events[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

function openSocket(app: TestApp): Promise<WebSocket> {
  const socket = new WebSocket(`${app.httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closeOf(socket: WebSocket): Promise<{ code: number }> {
  return withTimeout(new Promise((resolve) => socket.once('close', (code) => resolve({ code }))), 10_000, 'the socket to close');
}
