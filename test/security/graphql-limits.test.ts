import { describe, expect, it } from 'vitest';
import { GRAPHQL_LIMITS } from '../../src/channels/graphql/limits.js';
import { executeRaw, subscribeRaw, withTimeout, wsClient } from '../graphql/graphql-clients.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const DEEP_LIST = `{ tokenCount(model: "gpt-4o", messages: ${'['.repeat(5_000)}${']'.repeat(5_000)}) }`;
const ofTypeChain = (links: number) => `{ __schema { types { ${'ofType { '.repeat(links)}name${' }'.repeat(links)} } } }`;
const FAN_OUT_INTROSPECTION = `{ __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }`;

/** One operation over graphql-ws: its first result or error, and how the socket closed, if it did. */
async function overWebSocket(app: TestApp, query: string, identity = {}) {
  let closed: { code: number; reason: string } | undefined;
  const client = wsClient(app, identity, (event) => (closed = event));
  try {
    const outcome = await withTimeout(
      new Promise<unknown>((resolve) => client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve('complete') })),
      10_000,
      'the answer',
    );
    return { outcome, closed };
  } finally {
    await client.dispose();
  }
}

describe('GraphQL parser and document limits', () => {
  const app = useTestApp('sqlite');

  it.each([
    ['with credentials', {}],
    ['without credentials', { authorization: null }],
  ])('refuses a list literal nested 5,000 deep over HTTP %s with INVALID_INPUT', async (_name, identity) => {
    const result = await executeRaw(app(), DEEP_LIST, {}, identity);
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/Nesting limit/), extensions: expect.objectContaining({ code: 'INVALID_INPUT' }) })]);
    expect(JSON.stringify(result)).not.toMatch(/call stack|RangeError/i);
  });

  it('refuses a list literal nested 5,000 deep over SSE with INVALID_INPUT', async () => {
    const [first] = await subscribeRaw(app(), `subscription ${DEEP_LIST.slice(1, -1).replace('tokenCount', '{ chatEvents')} }`);
    expect(first?.errors?.[0]).toMatchObject({ message: expect.stringMatching(/Nesting limit/), extensions: { code: 'INVALID_INPUT' } });
  });

  it('refuses a list literal nested 5,000 deep over WebSocket with INVALID_INPUT and keeps the socket open', async () => {
    const { outcome, closed } = await overWebSocket(app(), DEEP_LIST);
    expect(outcome).toEqual([expect.objectContaining({ message: expect.stringMatching(/Nesting limit/), extensions: expect.objectContaining({ code: 'INVALID_INPUT' }) })]);
    expect(closed).toBeUndefined();
  });

  it('still admits documents nested as deep as the limit', async () => {
    const inner = `${'['.repeat(GRAPHQL_LIMITS.nesting - 2)}${']'.repeat(GRAPHQL_LIMITS.nesting - 2)}`;
    const result = await executeRaw(app(), `{ tokenCount(model: "gpt-4o", messages: ${inner}) }`);
    expect(result.errors?.[0]?.message ?? '').not.toMatch(/Nesting limit/);
  });

  it('admits introspection within the depth limit', async () => {
    const result = await executeRaw(app(), ofTypeChain(GRAPHQL_LIMITS.depth - 3));
    expect(result.errors).toBeUndefined();
  });

  it.each([
    ['a __schema ofType chain of depth 11', ofTypeChain(GRAPHQL_LIMITS.depth + 1 - 3)],
    ['a __type ofType chain of depth 11', `{ __type(name: "Chat") { ${'ofType { '.repeat(9)}name${' }'.repeat(9)} } }`],
    ['cyclic introspection deeper than the depth limit', FAN_OUT_INTROSPECTION],
  ])('refuses %s over HTTP and WebSocket', async (_name, query) => {
    const overHttp = await executeRaw(app(), query);
    expect(overHttp.errors?.[0]).toMatchObject({ message: expect.stringMatching(/depth limit/), extensions: { code: 'INVALID_INPUT' } });
    expect(overHttp.data).toBeUndefined();
    const { outcome } = await overWebSocket(app(), query);
    expect(outcome).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/depth limit/) })]));
  });
});
