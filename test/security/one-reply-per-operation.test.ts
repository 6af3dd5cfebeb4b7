import { describe, expect, it } from 'vitest';
import { executeRaw, subscribeRaw, withTimeout, wsClient } from '../graphql/graphql-clients.js';
import { useTestApp } from '../support/test-app.js';

const twoMutations = `mutation {
  a: sendMessage(input: { content: "one" }) { reply { content } }
  b: sendMessage(input: { content: "two" }) { reply { content } }
}`;
const throughFragments = `mutation {
  sendMessage(input: { content: "one" }) { reply { content } }
  ...Again
}
fragment Again on Mutation { again: sendMessage(input: { content: "two" }) { reply { content } } }`;
const twoSubscriptions = `subscription {
  a: sendMessage(input: { content: "one" }) { __typename }
  b: sendMessage(input: { content: "two" }) { __typename }
}`;

describe('One reply per GraphQL operation', () => {
  const app = useTestApp('sqlite');

  const upstreamCalls = () => app().openai!.requests.length;

  async function storedChats(): Promise<number> {
    const row = await app().app.knex('chats').count({ count: '*' }).first();
    return Number(row?.count ?? 0);
  }

  it.each([
    ['aliased mutations', twoMutations],
    ['a mutation repeated through a fragment', throughFragments],
  ])('refuses %s with INVALID_INPUT before anything runs', async (_name, query) => {
    const before = upstreamCalls();
    const result = await executeRaw(app(), query);
    expect(result.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/at most one reply/), extensions: expect.objectContaining({ code: 'INVALID_INPUT' }) }),
    ]);
    expect(result.data).toBeUndefined();
    expect(upstreamCalls()).toBe(before);
    expect(await storedChats()).toBe(0);
  });

  // GraphQL itself allows one root field per subscription; this pins that it stays refused on both transports.
  it('refuses aliased subscriptions over SSE and WebSocket', async () => {
    const before = upstreamCalls();
    const [overSse] = await subscribeRaw(app(), twoSubscriptions);
    expect(overSse?.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_INPUT' } });

    const client = wsClient(app());
    try {
      const outcome = await withTimeout(
        new Promise<unknown>((resolve) => client.subscribe({ query: twoSubscriptions }, { next: resolve, error: resolve, complete: () => resolve('complete') })),
        10_000,
        'the refusal',
      );
      expect(outcome).toEqual(expect.arrayContaining([expect.objectContaining({ extensions: expect.objectContaining({ code: 'INVALID_INPUT' }) })]));
    } finally {
      await client.dispose();
    }
    expect(upstreamCalls()).toBe(before);
    expect(await storedChats()).toBe(0);
  });

  it('still runs one reply next to other fields', async () => {
    const before = upstreamCalls();
    const result = await executeRaw(app(), 'mutation { sendMessage(input: { content: "one" }) { reply { content } } createChat(input: {}) { id } }');
    expect(result.errors).toBeUndefined();
    expect(upstreamCalls()).toBe(before + 1);
  });
});
