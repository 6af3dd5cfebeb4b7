import { untilDefined } from '../support/eventually.js';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatServiceClient } from '../../src/channels/grpc/generated/chatservice/v1/ChatService.js';
import type { GetChatResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/GetChatResponse.js';
import type { ListChatsResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/ListChatsResponse.js';
import type { SendMessageRequest } from '../../src/channels/grpc/generated/chatservice/v1/SendMessageRequest.js';
import type { SendMessageResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/SendMessageResponse.js';
import type { StopReplyResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/StopReplyResponse.js';
import type { ChatEvent } from '../../src/use-cases/chat-events.js';
import { storeEngines, type TestStore } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import { auth, collect, messagesReceived, unary, unaryError, v1Client } from './support/grpc-clients.js';
import { storedMessages } from '../support/stored-messages.js';

const countRows = async (store: TestStore, table: 'chats' | 'messages') => {
  const [row] = await store.knex(table).count({ n: '*' });
  return Number(row!.n);
};

const storedMessage = async (store: TestStore, id: string) =>
  store.knex('messages').where({ id }).first() as Promise<{ content: string; status: string } | undefined>;

describe.each(storeEngines())('chatservice.v1.ChatService on %s', (engine) => {
  const t = useTestApp(engine);
  let client: ChatServiceClient;
  beforeAll(() => {
    client = v1Client(t().grpcPort);
  });
  afterAll(() => client?.close());

  const send = (request: SendMessageRequest) => collect<SendMessageResponse__Output>(client.SendMessage(request, auth()));
  const listChats = (userId: string, pageSize: number, pageToken = '') =>
    unary<ListChatsResponse__Output>((cb) => client.ListChats({ user_id: userId, page_size: pageSize, page_token: pageToken }, auth(), cb));
  const getChat = (request: { user_id: string; chat_id: string; page_size?: number; page_token?: string; include_erased?: boolean }) =>
    unary<GetChatResponse__Output>((cb) => client.GetChat(request, auth(), cb));
  /** Resolves when the latest upstream request ends, or after `ms` while it is still open. */
  const upstreamSettledWithin = (ms: number) =>
    Promise.race([t().openai!.requests.at(-1)!.outcome, new Promise((resolve) => setTimeout(resolve, ms))]);
  const newChat = async (userId: string, content: string) => {
    const { messages } = await send({ user_id: userId, content });
    return messages[0]!.started!.chat!.id;
  };

  describe('SendMessage', () => {
    it('streams started, deltas that concatenate to the upstream text, then completed with the stored message and usage', async () => {
      t().openai!.reply({ deltas: ['The ', 'answer ', 'is ', '42.'] });
      const { messages, error } = await send({ user_id: 'alice', content: 'What is the answer?' });

      expect(error).toBeUndefined();
      // Deltas that arrive together may be sent as one; the text is the same.
      const events = messages.map((m) => m.event);
      expect(events[0]).toBe('started');
      expect(events.at(-1)).toBe('completed');
      expect(events.slice(1, -1).length).toBeGreaterThanOrEqual(1);
      expect(events.slice(1, -1).every((event) => event === 'delta')).toBe(true);
      const started = messages[0]!.started!;
      expect(started.chat).toMatchObject({ user_id: 'alice', title: 'What is the answer?', status: 'CHAT_STATUS_ACTIVE' });
      expect(started.user_message).toMatchObject({ role: 'MESSAGE_ROLE_USER', content: 'What is the answer?', status: 'MESSAGE_STATUS_COMPLETE' });
      expect(started.assistant_message).toMatchObject({ role: 'MESSAGE_ROLE_ASSISTANT', content: '', status: 'MESSAGE_STATUS_STREAMING' });

      const deltas = messages.filter((m) => m.delta).map((m) => m.delta!);
      expect(deltas.map((d) => d.text).join('')).toBe('The answer is 42.');
      expect(deltas.every((d) => d.message_id === started.assistant_message!.id && d.chat_id === started.chat!.id)).toBe(true);

      const completed = messages.at(-1)!.completed!;
      const stored = (await storedMessages(t().app.core, { userId: 'alice', chatId: started.chat!.id })).items.at(-1)!;
      expect(completed.message).toMatchObject({
        id: stored.id,
        content: 'The answer is 42.',
        status: 'MESSAGE_STATUS_COMPLETE',
        finish_reason: 'stop',
        token_count: stored.tokenCount,
        usage: { prompt_tokens: stored.usage!.promptTokens, completion_tokens: stored.usage!.completionTokens },
      });
      expect(stored).toMatchObject({ id: started.assistant_message!.id, content: 'The answer is 42.', status: 'COMPLETE' });
      expect(completed.message!.usage!.prompt_tokens).toBeGreaterThan(0);
      expect(Number(completed.message!.create_time!.seconds) * 1000).toBe(Math.floor(stored.createdAt.getTime() / 1000) * 1000);
    });

    it('continues a chat, and applies a per-turn config', async () => {
      const chatId = await newChat('alice', 'First');
      const before = t().openai!.requests.length;
      const { messages } = await send({ user_id: 'alice', chat_id: chatId, content: 'Second', config: { temperature: 0.25, stop: ['END'] } });

      expect(messages.at(-1)!.completed!.message!.chat_id).toBe(chatId);
      const sent = t().openai!.requests[before]!.body;
      expect(sent.messages.map((m) => m.content)).toEqual(['You are a helpful assistant.', 'First', expect.any(String), 'Second']);
      expect(sent.temperature).toBe(0.25);
      expect(sent.stop).toEqual(['END']);
    });

    it('ends with a failed event carrying the stable code when the upstream fails', async () => {
      t().openai!.reply({ error: { status: 500 } });
      const { messages, error } = await send({ user_id: 'alice', content: 'Hello' });

      expect(error).toBeUndefined();
      const failed = messages.at(-1)!.failed!;
      expect(failed).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: { status: 'MESSAGE_STATUS_FAILED' } });
      expect(failed.error).not.toMatch(/fake|127\.0\.0\.1/i);
    });

    it.each([
      ['an empty content', { user_id: 'alice', content: '' }, status.INVALID_ARGUMENT, 'INVALID_INPUT'],
      ['an empty chat_id', { user_id: 'alice', chat_id: '', content: 'Hi' }, status.INVALID_ARGUMENT, 'INVALID_INPUT'],
      ['an unknown chat_id', { user_id: 'alice', chat_id: 'nope', content: 'Hi' }, status.NOT_FOUND, 'NOT_FOUND'],
      ['an unknown model', { user_id: 'alice', content: 'Hi', model: 'gpt-0' }, status.INVALID_ARGUMENT, 'INVALID_INPUT'],
      ['a temperature out of range', { user_id: 'alice', content: 'Hi', config: { temperature: 7 } }, status.INVALID_ARGUMENT, 'INVALID_INPUT'],
      ['a message too large', { user_id: 'alice', content: 'x'.repeat(200_001) }, status.INVALID_ARGUMENT, 'MESSAGE_TOO_LARGE'],
    ])('refuses %s before anything is stored', async (_name, request, code, stableCode) => {
      const { messages, error } = await send(request);
      expect(messages).toEqual([]);
      expect(error?.code).toBe(code);
      expect(error?.metadata.get('chatservice-error-code')).toEqual([stableCode]);
      expect(await countRows(t().store, 'messages')).toBe(0);
    });

    it('answers a second message while a reply streams with ABORTED (CHAT_BUSY)', async () => {
      let resume!: () => void;
      t().openai!.reply({ pauseAfterDeltas: 1, resumeWhen: new Promise<void>((r) => (resume = r)) });
      const first = client.SendMessage({ user_id: 'alice', content: 'Hello' }, auth());
      const firstDone = collect<SendMessageResponse__Output>(first);
      const [started] = await messagesReceived<SendMessageResponse__Output>(first, 2);

      const second = await send({ user_id: 'alice', chat_id: started!.started!.chat!.id, content: 'Again' });
      resume();

      expect(second.error?.code).toBe(status.ABORTED);
      expect(second.error?.metadata.get('chatservice-error-code')).toEqual(['CHAT_BUSY']);
      expect((await firstDone).messages.at(-1)!.completed!.message!.status).toBe('MESSAGE_STATUS_COMPLETE');
    });

    it('shows up live for a watcher of the chat, as from any channel', async () => {
      const chatId = await newChat('alice', 'First');
      const controller = new AbortController();
      const events = await t().app.core.watchChat('alice', chatId, controller.signal);
      const seen: ChatEvent['type'][] = [];
      const watching = (async () => {
        for await (const event of events) {
          seen.push(event.type);
          if (event.type === 'completed') break;
        }
      })();

      await send({ user_id: 'alice', chat_id: chatId, content: 'Second' });
      await watching;
      controller.abort();
      expect(seen[0]).toBe('started');
      expect(seen).toContain('delta');
      expect(seen.at(-1)).toBe('completed');
    });
  });

  describe('a reply belongs to the server', () => {
    it('completes and is stored when the client cancels mid-stream', async () => {
      let resume!: () => void;
      t().openai!.reply({ deltas: ['One ', 'two ', 'three.'], pauseAfterDeltas: 1, resumeWhen: new Promise<void>((r) => (resume = r)) });
      const call = client.SendMessage({ user_id: 'alice', content: 'Count' }, auth());
      const ended = collect<SendMessageResponse__Output>(call);
      const [started] = await messagesReceived<SendMessageResponse__Output>(call, 2);

      call.cancel();
      expect((await ended).error?.code).toBe(status.CANCELLED);
      // Give a wrongly implemented server time to abort the upstream request before it may finish.
      await upstreamSettledWithin(300);
      resume();

      const id = started!.started!.assistant_message!.id;
      const stored = await untilDefined(async () => {
        const row = await storedMessage(t().store, id);
        return row?.status === 'STREAMING' ? undefined : row;
      });
      expect(stored).toMatchObject({ content: 'One two three.', status: 'COMPLETE' });
      expect(await t().openai!.requests.at(-1)!.outcome).toBe('completed');
    });

    it("is cut off for a client whose deadline passes, yet completes and is stored", async () => {
      let resume!: () => void;
      t().openai!.reply({ deltas: ['Slow ', 'reply.'], pauseAfterDeltas: 1, resumeWhen: new Promise<void>((r) => (resume = r)) });
      const call = client.SendMessage({ user_id: 'alice', content: 'Hi' }, auth(), { deadline: Date.now() + 500 });
      const started = messagesReceived<SendMessageResponse__Output>(call, 1);
      const { messages, error } = await collect<SendMessageResponse__Output>(call);

      expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
      expect(messages.map((m) => m.event)).toEqual(['started', 'delta']);
      await upstreamSettledWithin(300);
      resume();
      const id = (await started)[0]!.started!.assistant_message!.id;
      const stored = await untilDefined(async () => {
        const row = await storedMessage(t().store, id);
        return row?.status === 'STREAMING' ? undefined : row;
      });
      expect(stored).toMatchObject({ content: 'Slow reply.', status: 'COMPLETE' });
      expect(await t().openai!.requests.at(-1)!.outcome).toBe('completed');
    });

    it('StopReply stops it: INCOMPLETE with exactly the text delivered', async () => {
      t().openai!.reply({ deltas: ['Once ', 'upon ', 'a ', 'time'], pauseAfterDeltas: 2 });
      const call = client.SendMessage({ user_id: 'alice', content: 'Tell a story' }, auth());
      const ended = collect<SendMessageResponse__Output>(call);
      const [started] = await messagesReceived<SendMessageResponse__Output>(call, 3);
      const messageId = started!.started!.assistant_message!.id;

      const stopped = await unary<StopReplyResponse__Output>((cb) => client.StopReply({ user_id: 'alice', message_id: messageId }, auth(), cb));

      expect(stopped.message).toMatchObject({ id: messageId, content: 'Once upon ', status: 'MESSAGE_STATUS_INCOMPLETE', finish_reason: 'stopped' });
      const { messages, error } = await ended;
      expect(error).toBeUndefined();
      expect(messages.at(-1)!.completed!.message).toMatchObject({ content: 'Once upon ', status: 'MESSAGE_STATUS_INCOMPLETE' });
      expect(await storedMessage(t().store, messageId)).toMatchObject({ content: 'Once upon ', status: 'INCOMPLETE' });

      const again = await unary<StopReplyResponse__Output>((cb) => client.StopReply({ user_id: 'alice', message_id: messageId }, auth(), cb));
      expect(again.message).toMatchObject({ content: 'Once upon ', status: 'MESSAGE_STATUS_INCOMPLETE' });
    });

    it("StopReply answers another user's message with NOT_FOUND and leaves the reply running", async () => {
      let resume!: () => void;
      t().openai!.reply({ pauseAfterDeltas: 1, resumeWhen: new Promise<void>((r) => (resume = r)) });
      const call = client.SendMessage({ user_id: 'alice', content: 'Hello' }, auth());
      const ended = collect<SendMessageResponse__Output>(call);
      const [started] = await messagesReceived<SendMessageResponse__Output>(call, 2);
      const messageId = started!.started!.assistant_message!.id;

      const error = await unaryError(unary((cb) => client.StopReply({ user_id: 'mallory', message_id: messageId }, auth(), cb)));
      resume();

      expect(error.code).toBe(status.NOT_FOUND);
      expect((await ended).messages.at(-1)!.completed!.message!.status).toBe('MESSAGE_STATUS_COMPLETE');
    });
  });

  describe('ListChats', () => {
    it('pages through the caller’s chats, most recent first, and only theirs', async () => {
      for (const title of ['one', 'two', 'three']) await newChat('alice', title);
      await newChat('bob', 'not yours');

      const first = await listChats('alice', 2);
      const second = await listChats('alice', 2, first.next_page_token);

      expect(first.chats.map((c) => c.title)).toEqual(['three', 'two']);
      expect(first.next_page_token).not.toBe('');
      expect(second.chats.map((c) => c.title)).toEqual(['one']);
      expect(second.next_page_token).toBe('');
      expect((await listChats('alice', 0)).chats).toHaveLength(3);
    });

    it('lowers a page_size above the maximum and refuses a negative one', async () => {
      await newChat('alice', 'one');
      expect((await listChats('alice', 10_000)).chats).toHaveLength(1);
      expect((await unaryError(listChats('alice', -1))).code).toBe(status.INVALID_ARGUMENT);
    });

    it('refuses a page_token that is not one of ours with INVALID_ARGUMENT', async () => {
      expect((await unaryError(listChats('alice', 2, 'garbage'))).code).toBe(status.INVALID_ARGUMENT);
    });
  });

  describe('GetChat', () => {
    it('returns the chat with its messages, oldest first, page by page', async () => {
      const chatId = await newChat('alice', 'First');
      await send({ user_id: 'alice', chat_id: chatId, content: 'Second' });

      const first = await getChat({ user_id: 'alice', chat_id: chatId, page_size: 3 });
      const second = await getChat({ user_id: 'alice', chat_id: chatId, page_size: 3, page_token: first.next_page_token });

      expect(first.chat).toMatchObject({ id: chatId, title: 'First', status: 'CHAT_STATUS_ACTIVE', model: 'gpt-4o-mini' });
      expect(first.messages.map((m) => m.role)).toEqual(['MESSAGE_ROLE_SYSTEM', 'MESSAGE_ROLE_USER', 'MESSAGE_ROLE_ASSISTANT']);
      expect(second.messages.map((m) => [m.role, m.seq])).toEqual([
        ['MESSAGE_ROLE_USER', 3],
        ['MESSAGE_ROLE_ASSISTANT', 4],
      ]);
      expect(second.next_page_token).toBe('');
    });

    it("answers another user's chat and an unknown one with NOT_FOUND", async () => {
      const chatId = await newChat('alice', 'Mine');
      for (const request of [{ user_id: 'bob', chat_id: chatId }, { user_id: 'alice', chat_id: 'nope' }]) {
        const error = await unaryError(getChat(request));
        expect(error.code).toBe(status.NOT_FOUND);
        expect(error.details).toBe('Chat not found');
      }
    });
  });

  describe('DeleteChat', () => {
    it('removes the chat and its messages; a second delete is NOT_FOUND', async () => {
      const chatId = await newChat('alice', 'Bye');
      const other = await newChat('alice', 'Stays');
      const remove = () => unary((cb) => client.DeleteChat({ user_id: 'alice', chat_id: chatId }, auth(), cb));

      await expect(remove()).resolves.toEqual({});

      expect(await t().store.knex('chats').pluck('id')).toEqual([other]);
      expect(await t().store.knex('messages').where({ chat_id: chatId }).count({ n: '*' })).toEqual([{ n: 0 }]);
      expect((await unaryError(remove())).code).toBe(status.NOT_FOUND);
    });

    it("does not delete another user's chat", async () => {
      const chatId = await newChat('alice', 'Mine');
      const error = await unaryError(unary((cb) => client.DeleteChat({ user_id: 'bob', chat_id: chatId }, auth(), cb)));
      expect(error.code).toBe(status.NOT_FOUND);
      expect(await countRows(t().store, 'chats')).toBe(1);
    });
  });

  it('refuses every method without credentials', async () => {
    const none = auth(null);
    const errors = await Promise.all([
      collect(client.SendMessage({ user_id: 'alice', content: 'Hi' }, none)).then((r) => r.error!),
      unaryError(unary((cb) => client.StopReply({ user_id: 'alice', message_id: 'x' }, none, cb))),
      unaryError(unary((cb) => client.ListChats({ user_id: 'alice' }, none, cb))),
      unaryError(unary((cb) => client.GetChat({ user_id: 'alice', chat_id: 'x' }, none, cb))),
      unaryError(unary((cb) => client.DeleteChat({ user_id: 'alice', chat_id: 'x' }, none, cb))),
    ]);
    expect(errors.map((e) => e.code)).toEqual(Array(5).fill(status.UNAUTHENTICATED));
    expect(await countRows(t().store, 'chats')).toBe(0);
  });
});

describe.each(storeEngines())('chatservice.v1.ChatService GetChat with erased messages on %s', (engine) => {
  // A window so small that the first turn falls out when the second is sent.
  const t = useTestApp(engine, { env: { MODEL_MAX_TOKENS: '120', MAX_TOKENS: '20' } });
  let client: ChatServiceClient;
  beforeAll(() => {
    client = v1Client(t().grpcPort);
  });
  afterAll(() => client?.close());

  it('lists erased messages only on request', async () => {
    const long = 'word '.repeat(45).trim();
    const first = await collect<SendMessageResponse__Output>(client.SendMessage({ user_id: 'alice', content: long }, auth()));
    const chatId = first.messages[0]!.started!.chat!.id;
    await collect(client.SendMessage({ user_id: 'alice', chat_id: chatId, content: long }, auth()));
    const get = (include_erased: boolean) =>
      unary<GetChatResponse__Output>((cb) => client.GetChat({ user_id: 'alice', chat_id: chatId, include_erased }, auth(), cb));

    const visible = await get(false);
    const all = await get(true);

    expect(all.messages.filter((m) => m.erased).length).toBeGreaterThan(0);
    expect(visible.messages.every((m) => !m.erased)).toBe(true);
    expect(visible.messages.length).toBe(all.messages.length - all.messages.filter((m) => m.erased).length);
  });
});
