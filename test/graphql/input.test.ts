import { describe, expect, it } from 'vitest';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import { ChatDocument, CreateChatDocument, EndChatDocument, SendMessageDocument, SendMessageStreamDocument } from './generated/graphql.js';
import { data, executeRaw, sseClient, subscribe, subscribeRaw } from './graphql-clients.js';

const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply { id } } }';
const SEND_STREAM = 'subscription($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }';
const CREATE = 'mutation($input: CreateChatInput!) { createChat(input: $input) { id } }';

describe.each(storeEngines())('bad input over GraphQL on %s', (engine) => {
  const app = useTestApp(engine);

  async function rows() {
    const { knex } = app().store;
    const [chats] = await knex('chats').count({ n: '*' });
    const [messages] = await knex('messages').count({ n: '*' });
    return { chats: Number(chats!.n), messages: Number(messages!.n) };
  }

  async function endedChat() {
    const { createChat } = await data(app(), CreateChatDocument, { input: { title: 'done' } });
    await data(app(), EndChatDocument, { id: createChat.id });
    return createChat.id;
  }

  const badSends: [string, (ended: string) => Record<string, unknown>, string][] = [
    ['empty content', () => ({ content: '   ' }), 'INVALID_INPUT'],
    ['content over 200,000 characters', () => ({ content: 'x'.repeat(200_001) }), 'MESSAGE_TOO_LARGE'],
    ['an unknown chat', () => ({ chatId: 'no-such-chat', content: 'hi' }), 'NOT_FOUND'],
    ['an ended chat', (ended) => ({ chatId: ended, content: 'hi' }), 'CHAT_ENDED'],
    ['an unknown persona', () => ({ content: 'hi', personaId: 'pirate' }), 'INVALID_INPUT'],
    ['an unknown model', () => ({ content: 'hi', model: 'gpt-1' }), 'INVALID_INPUT'],
    ['a temperature out of range', () => ({ content: 'hi', config: { temperature: 2.5 } }), 'INVALID_INPUT'],
    ['a reply budget over the model limit', () => ({ content: 'hi', model: 'gpt-4', config: { maxTokens: 100_000 } }), 'INVALID_INPUT'],
    ['too many stop sequences', () => ({ content: 'hi', config: { stop: ['a', 'b', 'c', 'd', 'e'] } }), 'INVALID_INPUT'],
    ['a wrongly typed field', () => ({ content: 'hi', config: { temperature: 'hot' } }), 'INVALID_INPUT'],
  ];

  it.each(badSends)('refuses a sendMessage mutation with %s, storing nothing', async (_name, input, code) => {
    const ended = await endedChat();
    const before = await rows();
    const upstreamCalls = app().openai!.requests.length;
    const result = await executeRaw(app(), SEND, { input: input(ended) });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(await rows()).toEqual(before);
    expect(app().openai!.requests).toHaveLength(upstreamCalls);
  });

  it.each(badSends)('refuses a sendMessage subscription with %s, storing nothing', async (_name, input, code) => {
    const ended = await endedChat();
    const before = await rows();
    const events = await subscribeRaw(app(), SEND_STREAM, { input: input(ended) });
    expect(events).toHaveLength(1);
    expect(events[0]!.errors?.[0]?.extensions?.code).toBe(code);
    expect(await rows()).toEqual(before);
  });

  it.each([
    ['an unknown model', { model: 'gpt-1' }],
    ['an unknown persona', { personaId: 'pirate' }],
    ['both a persona and a system prompt', { personaId: 'tutor', systemPrompt: 'Be brief.' }],
    ['an empty title', { title: '  ' }],
    ['a top_p out of range', { config: { topP: 1.5 } }],
  ])('refuses createChat with %s as INVALID_INPUT, storing nothing', async (_name, input) => {
    const result = await executeRaw(app(), CREATE, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(await rows()).toEqual({ chats: 0, messages: 0 });
  });

  it('refuses the other mutations and chatEvents with a stable code', async () => {
    const { createChat } = await data(app(), CreateChatDocument, { input: { title: 'kept' } });
    const id = createChat.id;
    const cases: [string, Record<string, unknown>, string][] = [
      ['mutation($id: ID!) { renameChat(id: $id, title: "   ") { id } }', { id }, 'INVALID_INPUT'],
      ['mutation($id: ID!) { renameChat(id: $id, title: "new") { id } }', { id: 'nope' }, 'NOT_FOUND'],
      ['mutation($id: ID!) { endChat(id: $id) { id } }', { id: 'nope' }, 'NOT_FOUND'],
      ['mutation($id: ID!) { deleteChat(id: $id) { deletedChatId } }', { id: 'nope' }, 'NOT_FOUND'],
      ['mutation($id: ID!) { stopReply(messageId: $id) { id } }', { id: 'nope' }, 'NOT_FOUND'],
      ['query($first: Int) { chats(first: $first) { edges { cursor } } }', { first: 1000 }, 'INVALID_INPUT'],
      ['query($after: String) { chats(after: $after) { edges { cursor } } }', { after: 'not-a-cursor' }, 'INVALID_INPUT'],
      ['query { tokenCount(model: "not a model!", messages: []) }', {}, 'INVALID_INPUT'],
      ['mutation { renameChat(id: 1) { id } }', {}, 'INVALID_INPUT'],
    ];
    for (const [query, variables, code] of cases) {
      const result = await executeRaw(app(), query, variables);
      expect({ query, code: result.errors?.[0]?.extensions?.code }).toEqual({ query, code });
    }
    const events = await subscribeRaw(app(), 'subscription { chatEvents(chatId: "nope") { __typename } }');
    expect(events[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { chat } = await data(app(), ChatDocument, { id });
    expect(chat).toMatchObject({ title: 'kept', status: 'ACTIVE' });
  });

  it('refuses a second message while a reply streams with CHAT_BUSY, and deleting that chat too', async () => {
    let resume!: () => void;
    app().openai!.reply({ deltas: ['slow', ' reply'], pauseAfterDeltas: 1, resumeWhen: new Promise<void>((r) => (resume = r)) });
    const client = sseClient(app());
    try {
      const stream = subscribe(client, SendMessageStreamDocument, { input: { content: 'first' } });
      const started = (await stream.next()).data!.sendMessage;
      if (started.__typename !== 'ReplyStarted') throw new Error('expected ReplyStarted');
      const before = await rows();
      const busy = await executeRaw(app(), SEND, { input: { chatId: started.chat.id, content: 'second' } });
      expect(busy.errors?.[0]?.extensions?.code).toBe('CHAT_BUSY');
      const deleting = await executeRaw(app(), 'mutation($id: ID!) { deleteChat(id: $id) { deletedChatId } }', { id: started.chat.id });
      expect(deleting.errors?.[0]?.extensions?.code).toBe('CHAT_BUSY');
      expect(await rows()).toEqual(before);
      resume();
      const last = (await stream.rest()).at(-1)!.data!.sendMessage;
      expect(last).toMatchObject({ __typename: 'ReplyCompleted', message: { content: 'slow reply' } });
    } finally {
      client.dispose();
    }
  });

  it('stores a message sent twice with one idempotency key once, and answers both with the same turn', async () => {
    const input = { content: 'Exactly once', idempotencyKey: 'key-1' };
    const upstreamCalls = app().openai!.requests.length;
    const first = await data(app(), SendMessageDocument, { input });
    const again = await data(app(), SendMessageDocument, { input });
    expect(again.sendMessage.reply).toEqual(first.sendMessage.reply);
    expect(again.sendMessage.userMessage).toEqual(first.sendMessage.userMessage);
    expect(await rows()).toEqual({ chats: 1, messages: 3 });
    expect(app().openai!.requests).toHaveLength(upstreamCalls + 1);

    const replayed = (await subscribeRaw(app(), SEND_STREAM, { input })).map((r) => (r.data as { sendMessage: { __typename: string } }).sendMessage.__typename);
    expect(replayed).toEqual(['ReplyStarted', 'ReplyDelta', 'ReplyCompleted']);
    const reused = await executeRaw(app(), SEND, { input: { content: 'Something else', idempotencyKey: 'key-1' } });
    expect(reused.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    // Keys belong to their user.
    await data(app(), SendMessageDocument, { input }, { userId: 'bob' });
    expect(await rows()).toEqual({ chats: 2, messages: 6 });
  });
});
