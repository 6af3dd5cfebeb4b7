import { describe, expect, it } from 'vitest';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import {
  ChatDocument,
  ChatsDocument,
  CreateChatDocument,
  ModelsDocument,
  PersonasDocument,
  SendMessageDocument,
  TokenCountDocument,
  type MessageInput,
} from './generated/graphql.js';
import { data, executeRaw, subscribeRaw } from './graphql-clients.js';

// OpenAI's cookbook conversation ("How to count tokens with tiktoken"), whose
// usage.prompt_tokens the API reported as 129 for gpt-3.5-turbo / gpt-4
// (cl100k_base) and 124 for gpt-4o / gpt-4o-mini (o200k_base).
const COOKBOOK: MessageInput[] = [
  { role: 'SYSTEM', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'SYSTEM', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'SYSTEM', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  {
    role: 'SYSTEM',
    name: 'example_user',
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  { role: 'SYSTEM', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'USER', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

describe.each(storeEngines())('GraphQL queries on %s', (engine) => {
  const app = useTestApp(engine);

  it.each([
    ['gpt-4', 129],
    ['gpt-3.5-turbo', 129],
    ['gpt-4o', 124],
    ['gpt-4o-mini', 124],
  ])('counts the cookbook conversation for %s as the API billed it: %i tokens', async (model, expected) => {
    expect(await data(app(), TokenCountDocument, { model, messages: COOKBOOK })).toEqual({ tokenCount: expected });
  });

  it('counts exactly what the fake upstream reports as usage.prompt_tokens for the same messages', async () => {
    const { sendMessage } = await data(app(), SendMessageDocument, { input: { content: 'How many tokens is this? 🤔' } });
    const { chat } = await data(app(), ChatDocument, { id: sendMessage.chat.id });
    const prompt = chat!.messages.edges.slice(0, 2).map(({ node }) => ({ role: node.role, content: node.content }));
    const { tokenCount } = await data(app(), TokenCountDocument, { model: 'gpt-4o-mini', messages: prompt });
    expect(tokenCount).toBe(sendMessage.reply.usage!.promptTokens);
  });

  it('lists models with their window and encoding, and personas that chats can start with', async () => {
    const { models } = await data(app(), ModelsDocument, {});
    expect(models).toContainEqual({ name: 'gpt-4', contextWindow: 8192, maxOutputTokens: 8192, encoding: 'CL100K_BASE', reasoning: false });
    expect(models).toContainEqual(expect.objectContaining({ name: 'gpt-4o', encoding: 'O200K_BASE' }));

    const { personas } = await data(app(), PersonasDocument, {});
    const tutor = personas.find((p) => p.id === 'tutor')!;
    const { createChat } = await data(app(), CreateChatDocument, { input: { personaId: 'tutor', model: 'gpt-4' } });
    expect(createChat).toMatchObject({ model: 'gpt-4', persona: { id: 'tutor' }, systemPrompt: tutor.systemPrompt });
    const { sendMessage } = await data(app(), SendMessageDocument, {
      input: { content: 'Teach me', personaId: 'translator', model: 'gpt-4o' },
    });
    expect(sendMessage.chat).toMatchObject({ model: 'gpt-4o', persona: { id: 'translator' } });
    expect(app().openai!.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o' });
  });

  it('lists chats most recent activity first, as a cursor connection', async () => {
    const ids: string[] = [];
    for (const title of ['first', 'second', 'third']) {
      ids.push((await data(app(), CreateChatDocument, { input: { title } })).createChat.id);
    }
    await data(app(), SendMessageDocument, { input: { chatId: ids[0]!, content: 'bump' } });

    const page1 = (await data(app(), ChatsDocument, { first: 2 })).chats;
    expect(page1.edges.map((e) => e.node.title)).toEqual(['first', 'third']);
    expect(page1.edges[0]!.node.latestMessage?.content).toBe('Hello from the fake model.');
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: page1.edges[1]!.cursor });
    const page2 = (await data(app(), ChatsDocument, { first: 2, after: page1.pageInfo.endCursor })).chats;
    expect(page2.edges.map((e) => e.node.title)).toEqual(['second']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    // Any edge's cursor resumes right after it.
    const fromFirst = (await data(app(), ChatsDocument, { first: 5, after: page1.edges[0]!.cursor })).chats;
    expect(fromFirst.edges.map((e) => e.node.title)).toEqual(['third', 'second']);
  });

  it("pages a chat's messages oldest first", async () => {
    const { sendMessage } = await data(app(), SendMessageDocument, { input: { content: 'one' } });
    const chatId = sendMessage.chat.id;
    await data(app(), SendMessageDocument, { input: { chatId, content: 'two' } });
    const first = (await data(app(), ChatDocument, { id: chatId, first: 3 })).chat!.messages;
    expect(first.edges.map((e) => e.node.seq)).toEqual([0, 1, 2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await data(app(), ChatDocument, { id: chatId, first: 3, after: first.pageInfo.endCursor })).chat!.messages;
    expect(rest.edges.map((e) => [e.node.seq, e.node.content])).toEqual([
      [3, 'two'],
      [4, 'Hello from the fake model.'],
    ]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('lists 50 chats with their latest message in a bounded number of SQL queries', async () => {
    const core = app().app.core;
    for (let i = 0; i < 50; i += 1) await core.createChat({ userId: 'alice', title: `chat ${i}` });
    const { sendMessage } = await data(app(), SendMessageDocument, { input: { content: 'the newest chat' } });

    const queries: string[] = [];
    const count = (query: { sql: string }) => queries.push(query.sql);
    const knex = app().app.knex;
    knex.on('query', count);
    try {
      const countFor = async (first: number) => {
        queries.length = 0;
        const { chats } = await data(app(), ChatsDocument, { first });
        expect(chats.edges).toHaveLength(first);
        expect(chats.edges.every((e) => e.node.latestMessage !== null)).toBe(true);
        return { chats, queries: queries.length };
      };
      const few = await countFor(5);
      const many = await countFor(50);
      expect(many.chats.edges[0]!.node.latestMessage).toMatchObject({ id: sendMessage.reply.id });
      expect(many.queries).toBe(few.queries);
      // The chats, their latest messages, and those messages' usage (cost) from the ledger.
      expect(many.queries).toBeLessThanOrEqual(3);
    } finally {
      knex.off('query', count);
    }
  });
});

describe.each(storeEngines())('chat lists with live and summary fields on %s', (engine) => {
  const app = useTestApp(engine);

  it('loads activeReply and contextSummary for 50 chats in as many SQL queries as for 5', async () => {
    const core = app().app.core;
    for (let i = 0; i < 50; i += 1) await core.createChat({ userId: 'alice', title: `chat ${i}` });
    await data(app(), SendMessageDocument, { input: { content: 'the newest chat' } });
    const query = `query($first: Int) { chats(first: $first) { edges { node {
      id activeReply { id } contextSummary { content } latestMessage { id } } } } }`;

    const queries: string[] = [];
    const count = (entry: { sql: string }) => queries.push(entry.sql);
    const knex = app().app.knex;
    knex.on('query', count);
    try {
      const countFor = async (first: number) => {
        queries.length = 0;
        const result = await executeRaw(app(), query, { first });
        expect(result.errors).toBeUndefined();
        expect((result.data as { chats: { edges: unknown[] } }).chats.edges).toHaveLength(first);
        return queries.length;
      };
      const few = await countFor(5);
      expect(await countFor(50)).toBe(few);
      expect(few).toBeLessThanOrEqual(4);
    } finally {
      knex.off('query', count);
    }
  });
});

describe.each(storeEngines())('erased messages over GraphQL on %s', (engine) => {
  // A tiny window: each turn pushes the oldest messages out of it.
  const app = useTestApp(engine, { env: { MODEL_MAX_TOKENS: '64', MAX_TOKENS: '16' } });

  it('lists erased messages only with includeErased', async () => {
    const { sendMessage } = await data(app(), SendMessageDocument, { input: { content: 'first message with some words in it' } });
    const chatId = sendMessage.chat.id;
    await data(app(), SendMessageDocument, { input: { chatId, content: 'second message with some words in it' } });
    await data(app(), SendMessageDocument, { input: { chatId, content: 'third message with some words in it' } });

    const all = (await data(app(), ChatDocument, { id: chatId, includeErased: true })).chat!.messages.edges.map((e) => e.node);
    const kept = (await data(app(), ChatDocument, { id: chatId })).chat!.messages.edges.map((e) => e.node);
    expect(all.some((m) => m.erased)).toBe(true);
    expect(kept).toEqual(all.filter((m) => !m.erased));
    expect(kept[0]!.role).toBe('SYSTEM');
  });
});

describe.each(storeEngines())('ownership over GraphQL on %s', (engine) => {
  const app = useTestApp(engine);

  it("treats another user's chat exactly like one that does not exist", async () => {
    const bob = { userId: 'bob' };
    const { sendMessage } = await data(app(), SendMessageDocument, { input: { content: "Bob's secret" } }, bob);
    const bobsChat = sendMessage.chat.id;
    const bobsReply = sendMessage.reply.id;

    expect(await data(app(), ChatDocument, { id: bobsChat })).toEqual({ chat: null });
    expect((await data(app(), ChatsDocument, {})).chats.edges).toEqual([]);
    expect((await data(app(), ChatDocument, { id: bobsChat }, bob)).chat?.id).toBe(bobsChat);

    const missing = 'no-such-chat';
    for (const id of [bobsChat, missing]) {
      for (const [query, variables] of [
        ['mutation($id: ID!) { renameChat(id: $id, title: "mine") { id } }', { id }],
        ['mutation($id: ID!) { endChat(id: $id) { id } }', { id }],
        ['mutation($id: ID!) { deleteChat(id: $id) { deletedChatId } }', { id }],
        ['mutation($id: ID!) { sendMessage(input: { chatId: $id, content: "hi" }) { reply { id } } }', { id }],
      ] as const) {
        const result = await executeRaw(app(), query, variables);
        expect({ query, id, result }).toMatchObject({ result: { data: null, errors: [{ extensions: { code: 'NOT_FOUND' } }] } });
      }
    }
    for (const messageId of [bobsReply, 'no-such-message']) {
      const result = await executeRaw(app(), 'mutation($id: ID!) { stopReply(messageId: $id) { id } }', { id: messageId });
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    for (const id of [bobsChat, missing]) {
      for (const query of [
        'subscription($id: ID!) { chatEvents(chatId: $id) { __typename } }',
        'subscription($id: ID!) { sendMessage(input: { chatId: $id, content: "hi" }) { __typename } }',
      ]) {
        const events = await subscribeRaw(app(), query, { id });
        expect(events).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })] }]);
      }
    }
    // Bob's chat is untouched.
    const { chat } = await data(app(), ChatDocument, { id: bobsChat }, bob);
    expect(chat).toMatchObject({ title: "Bob's secret", status: 'ACTIVE' });
    expect(chat!.messages.edges).toHaveLength(3);
  });
});
