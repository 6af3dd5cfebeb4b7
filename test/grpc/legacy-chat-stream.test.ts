import { status } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResponse__Output } from '../../src/channels/grpc/generated/pb/ChatResponse.js';
import type { ChatServiceClient } from '../../src/channels/grpc/generated/pb/ChatService.js';
import { DEFAULT_FAKE_TEXT } from '../support/fake-openai.js';
import { storeEngines, type TestStore } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import { auth, collect, legacyClient } from './support/grpc-clients.js';
import { storedMessages } from '../support/stored-messages.js';

const countRows = async (store: TestStore, table: 'chats' | 'messages') => {
  const [row] = await store.knex(table).count({ n: '*' });
  return Number(row!.n);
};

const JWT_SECRET = 'a-test-secret-of-at-least-32-characters!';
const jwtFor = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));

describe.each(storeEngines())('pb.ChatService/ChatStream on %s', (engine) => {
  const t = useTestApp(engine, { env: { JWT_SECRET } });
  let client: ChatServiceClient;
  beforeAll(() => {
    client = legacyClient(t().grpcPort);
  });
  afterAll(() => client?.close());

  const chatStream = (request: { chat_id?: string; user_id: string; user_message: string }, metadata = auth()) =>
    collect<ChatResponse__Output>(client.ChatStream(request, metadata));

  it('streams frames whose content is the whole reply so far, ending at exactly the upstream text', async () => {
    t().openai!.reply({ deltas: ['Hi ', 'there, ', 'Alice! ', '😀'] });
    const { messages, error } = await chatStream({ user_id: 'alice', user_message: 'Hello!' });

    expect(error).toBeUndefined();
    // Each frame is the reply so far (deltas that arrive together may share a frame), growing to the whole text.
    const contents = messages.map((m) => m.content);
    expect(contents[0]).toBe('Hi ');
    expect(contents.at(-1)).toBe('Hi there, Alice! 😀');
    contents.slice(1).forEach((content, i) => expect(content.startsWith(contents[i]!) && content.length > contents[i]!.length).toBe(true));
    const chatId = messages[0]!.chat_id;
    expect(chatId).not.toBe('');
    expect(messages.every((m) => m.chat_id === chatId && m.user_id === 'alice')).toBe(true);
    const stored = await storedMessages(t().app.core, { userId: 'alice', chatId });
    expect(stored.items.map((m) => [m.role, m.content, m.status])).toEqual([
      ['SYSTEM', 'You are a helpful assistant.', 'COMPLETE'],
      ['USER', 'Hello!', 'COMPLETE'],
      ['ASSISTANT', 'Hi there, Alice! 😀', 'COMPLETE'],
    ]);
  });

  it('continues the chat named by chat_id: the upstream receives the earlier messages', async () => {
    const first = await chatStream({ user_id: 'alice', user_message: 'My name is Alice.' });
    const chatId = first.messages.at(-1)!.chat_id;
    t().openai!.reply({ text: 'Your name is Alice.' });
    const before = t().openai!.requests.length;

    const second = await chatStream({ chat_id: chatId, user_id: 'alice', user_message: 'What is my name?' });

    expect(second.error).toBeUndefined();
    expect(second.messages.at(-1)).toEqual({ chat_id: chatId, user_id: 'alice', content: 'Your name is Alice.' });
    expect(t().openai!.requests[before]!.body.messages).toEqual([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'My name is Alice.' },
      { role: 'assistant', content: DEFAULT_FAKE_TEXT },
      { role: 'user', content: 'What is my name?' },
    ]);
    expect(await countRows(t().store, 'chats')).toBe(1);
  });

  it('treats an empty chat_id as none, as the original did: a new chat starts', async () => {
    const { messages, error } = await chatStream({ chat_id: '', user_id: 'alice', user_message: 'Hello!' });
    expect(error).toBeUndefined();
    expect(messages.at(-1)!.content).toBe(DEFAULT_FAKE_TEXT);
    expect(await countRows(t().store, 'chats')).toBe(1);
  });

  it.each([
    ['no authorization', null],
    ['a wrong token', 'Bearer not-the-token'],
    ['a bare wrong token', 'not-the-token'],
    ['a JWT signed with another secret', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'],
  ])('refuses %s with UNAUTHENTICATED and stores nothing', async (_name, authorization) => {
    const requestsBefore = t().openai!.requests.length;
    const { messages, error } = await chatStream({ user_id: 'alice', user_message: 'Hello!' }, auth(authorization));

    expect(messages).toEqual([]);
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(error?.details).toBe('Missing or invalid credentials');
    expect(await countRows(t().store, 'chats')).toBe(0);
    expect(await countRows(t().store, 'messages')).toBe(0);
    expect(t().openai!.requests.length).toBe(requestsBefore);
  });

  it('accepts the service token without the Bearer prefix, as the original service did', async () => {
    const { error } = await chatStream({ user_id: 'alice', user_message: 'Hello!' }, auth('test-service-token'));
    expect(error).toBeUndefined();
  });

  it('lets a JWT act as its subject, with or without user_id', async () => {
    const token = `Bearer ${await jwtFor('bob')}`;
    const named = await chatStream({ user_id: 'bob', user_message: 'Hello!' }, auth(token));
    const unnamed = await chatStream({ user_id: '', user_message: 'Hello again!' }, auth(token));

    expect(named.error).toBeUndefined();
    expect(unnamed.error).toBeUndefined();
    expect(unnamed.messages.at(-1)!.user_id).toBe('bob');
    const chats = await t().app.core.listChats({ userId: 'bob' });
    expect(chats.items).toHaveLength(2);
  });

  it('refuses a JWT acting for another user with UNAUTHENTICATED and stores nothing', async () => {
    const { error } = await chatStream({ user_id: 'alice', user_message: 'Hello!' }, auth(`Bearer ${await jwtFor('bob')}`));
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(await countRows(t().store, 'chats')).toBe(0);
  });

  it("answers another user's chat_id with NOT_FOUND, like an unknown one, and stores nothing", async () => {
    const alices = await chatStream({ user_id: 'alice', user_message: 'Secret' });
    const chatId = alices.messages.at(-1)!.chat_id;
    const messagesBefore = await countRows(t().store, 'messages');
    const requestsBefore = t().openai!.requests.length;

    const foreign = await chatStream({ chat_id: chatId, user_id: 'mallory', user_message: 'Let me in' });
    const unknown = await chatStream({ chat_id: 'no-such-chat', user_id: 'alice', user_message: 'Hello?' });

    for (const { messages, error } of [foreign, unknown]) {
      expect(messages).toEqual([]);
      expect(error?.code).toBe(status.NOT_FOUND);
      expect(error?.details).toBe('Chat not found');
      expect(error?.metadata.get('chatservice-error-code')).toEqual(['NOT_FOUND']);
    }
    expect(await countRows(t().store, 'chats')).toBe(1);
    expect(await countRows(t().store, 'messages')).toBe(messagesBefore);
    expect(t().openai!.requests.length).toBe(requestsBefore);
  });

  it.each([
    ['an empty message', { user_id: 'alice', user_message: '' }],
    ['a blank message', { user_id: 'alice', user_message: ' \n ' }],
    ['no user_id with a service token', { user_id: '', user_message: 'Hello!' }],
  ])('refuses %s with INVALID_ARGUMENT and stores nothing', async (_name, request) => {
    const { messages, error } = await chatStream(request);
    expect(messages).toEqual([]);
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.metadata.get('chatservice-error-code')).toEqual(['INVALID_INPUT']);
    expect(await countRows(t().store, 'chats')).toBe(0);
    expect(await countRows(t().store, 'messages')).toBe(0);
  });

  it('ends with UNAVAILABLE when the upstream fails, keeping the frames already sent', async () => {
    t().openai!.reply({ deltas: ['Partial ', 'answer'], dropAfterDeltas: 1 });
    const { messages, error } = await chatStream({ user_id: 'alice', user_message: 'Hello!' });

    expect(messages.map((m) => m.content)).toEqual(['Partial ']);
    expect(error?.code).toBe(status.UNAVAILABLE);
    expect(error?.details).not.toMatch(/127\.0\.0\.1|ECONN|stack/i);
  });
});
