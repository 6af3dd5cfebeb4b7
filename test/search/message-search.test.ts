import { describe, expect, it } from 'vitest';
import { ChatDocument, DeleteChatDocument, SearchDocument, SendMessageDocument, SendMessageStreamDocument } from '../graphql/generated/graphql.js';
import { data, executeRaw, subscribe, wsClient, type Identity } from '../graphql/graphql-clients.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

/** Sends `content` in a chat (a new one without `chatId`); the fake model answers `reply`. */
async function turn(app: TestApp, content: string, reply: string, chatId?: string, identity?: Identity) {
  app.openai!.reply({ text: reply });
  const { sendMessage } = await data(app, SendMessageDocument, { input: { content, chatId } }, identity);
  return sendMessage;
}

async function search(app: TestApp, query: string, identity?: Identity, page: { first?: number; after?: string } = {}) {
  return (await data(app, SearchDocument, { query, ...page }, identity)).search;
}

const contents = (connection: Awaited<ReturnType<typeof search>>) => connection.edges.map((edge) => edge.node.message.content);

const codeOf = async (app: TestApp, variables: Record<string, unknown>) =>
  (await executeRaw(app, 'query($q: String!, $first: Int, $after: String) { search(query: $q, first: $first, after: $after) { edges { cursor } } }', variables))
    .errors?.[0]?.extensions?.code;

describe.each(storeEngines())('Query.search on %s', (engine) => {
  const app = useTestApp(engine);

  it('finds user messages and replies by word starts, ignoring case and accents, newest first, with chat and snippet', async () => {
    const first = await turn(app(), 'Tell me about Streaming replies', 'Streams of tokens arrive one by one.');
    await turn(app(), 'And the CAFÉ downstairs?', 'The cafe is closed.', first.chat.id);
    await turn(app(), 'Something unrelated', 'Nothing to see.');

    const hits = await search(app(), 'stream');
    expect(contents(hits)).toEqual(['Streams of tokens arrive one by one.', 'Tell me about Streaming replies']);
    expect(hits.edges[0]!.node).toMatchObject({
      chat: { id: first.chat.id, title: first.chat.title },
      message: { id: first.reply.id, role: 'ASSISTANT', status: 'COMPLETE', erased: false },
      snippet: 'Streams of tokens arrive one by one.',
      highlights: [{ start: 0, length: 'Streams'.length }],
    });
    expect(contents(await search(app(), 'cafe'))).toEqual(['The cafe is closed.', 'And the CAFÉ downstairs?']);
    // Every word must be there.
    expect(contents(await search(app(), 'cafe closed'))).toEqual(['The cafe is closed.']);
    expect(contents(await search(app(), 'stream closed'))).toEqual([]);
  });

  it("never returns another user's messages", async () => {
    await turn(app(), 'my private pineapple', 'Noted: pineapple.', undefined, { userId: 'bob' });
    await turn(app(), 'a public pineapple', 'Also pineapple.');
    expect(contents(await search(app(), 'pineapple'))).toEqual(['Also pineapple.', 'a public pineapple']);
    expect(contents(await search(app(), 'private'))).toEqual([]);
    expect(contents(await search(app(), 'pineapple', { userId: 'bob' }))).toEqual(['Noted: pineapple.', 'my private pineapple']);
  });

  it('leaves out system prompts and replies still streaming; a reply is found once it ended', async () => {
    let release!: () => void;
    app().openai!.reply({ deltas: ['Wombats ', 'dig ', 'burrows.'], pauseAfterDeltas: 2, resumeWhen: new Promise<void>((r) => (release = r)) });
    const client = wsClient(app());
    try {
      const sub = subscribe(client, SendMessageStreamDocument, { input: { content: 'About marsupials', systemPrompt: 'You know wombats well.' } });
      for (let deltas = 0; deltas < 2; ) if ((await sub.next()).data?.sendMessage.__typename === 'ReplyDelta') deltas += 1;
      // The reply's text so far is checkpointed in the store, but it is not a search result yet.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(contents(await search(app(), 'wombats'))).toEqual([]);
      release();
      while ((await sub.next()).data?.sendMessage.__typename !== 'ReplyCompleted');
    } finally {
      await client.dispose();
    }
    expect(contents(await search(app(), 'wombats'))).toEqual(['Wombats dig burrows.']);
    expect(contents(await search(app(), 'marsupials'))).toEqual(['About marsupials']);
  });

  it('forgets the messages of a deleted chat', async () => {
    const kept = await turn(app(), 'kept kiwi', 'Kiwi kept.');
    const doomed = await turn(app(), 'doomed kiwi', 'Kiwi doomed.');
    await data(app(), DeleteChatDocument, { id: doomed.chat.id });
    const hits = await search(app(), 'kiwi');
    expect(contents(hits)).toEqual(['Kiwi kept.', 'kept kiwi']);
    expect(hits.edges.every((edge) => edge.node.chat.id === kept.chat.id)).toBe(true);
  });

  it('pages through every hit once, newest first, and refuses a bad cursor', async () => {
    const chat = await turn(app(), 'page 0 mango', 'reply 0 mango');
    for (let i = 1; i < 12; i += 1) await turn(app(), `page ${i} mango`, `reply ${i} mango`, chat.chat.id);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await search(app(), 'mango', {}, { first: 5, after });
      seen.push(...contents(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    const expected = Array.from({ length: 12 }, (_, i) => [`page ${i} mango`, `reply ${i} mango`]).flat().reverse();
    expect(seen).toEqual(expected);
    expect(await codeOf(app(), { q: 'mango', after: 'not-a-cursor' })).toBe('INVALID_INPUT');
    expect(await codeOf(app(), { q: 'mango', first: 0 })).toBe('INVALID_INPUT');
    expect(await codeOf(app(), { q: 'mango', first: 101 })).toBe('INVALID_INPUT');
  });

  it('treats search syntax as plain words, and refuses empty, wordless or oversized queries with INVALID_INPUT', async () => {
    await turn(app(), 'near the content column', 'OR maybe AND not');
    for (const hostile of ['"near', 'content:near', 'NEAR(content column)', '-near +column*', 'near" OR "x', "near'); DROP TABLE messages; --"]) {
      const result = await executeRaw(app(), 'query($q: String!) { search(query: $q) { edges { node { snippet } } } }', { q: hostile });
      expect({ hostile, errors: result.errors }).toEqual({ hostile, errors: undefined });
    }
    expect(contents(await search(app(), 'NEAR(content column)'))).toEqual(['near the content column']);
    expect(contents(await search(app(), 'the content'))).toEqual(['near the content column']);
    for (const q of ['', '   ', '"*" () -- +', 'x'.repeat(201), 'a b c d e f g h i']) {
      expect({ q, code: await codeOf(app(), { q }) }).toEqual({ q, code: 'INVALID_INPUT' });
    }
  });
});

describe.each(storeEngines())('Query.search over erased history on %s', (engine) => {
  // A tiny window: each turn pushes the oldest messages out of it.
  const app = useTestApp(engine, { env: { MODEL_MAX_TOKENS: '64', MAX_TOKENS: '16' } });

  it('still finds messages that left the context window, marked erased', async () => {
    const first = await turn(app(), 'first zebra message with some words', 'ok zebra');
    for (const n of ['second', 'third', 'fourth']) await turn(app(), `${n} message with some words in it`, 'ok', first.chat.id);
    const listed = (await data(app(), ChatDocument, { id: first.chat.id, includeErased: true })).chat!.messages.edges.map((e) => e.node);
    expect(listed.find((m) => m.id === first.userMessage.id)?.erased).toBe(true);

    const hits = await search(app(), 'zebra');
    expect(contents(hits)).toEqual(['ok zebra', 'first zebra message with some words']);
    for (const { node } of hits.edges) expect(node.message.erased).toBe(listed.find((m) => m.id === node.message.id)!.erased);
  });
});
