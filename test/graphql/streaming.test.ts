import { untilDefined } from '../support/eventually.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_TEXT } from '../support/fake-openai.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import {
  ChatDocument,
  ChatEventsDocument,
  CreateChatDocument,
  SendMessageDocument,
  SendMessageStreamDocument,
  StopReplyDocument,
  type SendMessageStreamSubscription,
} from './generated/graphql.js';
import { data, sseClient, subscribe, wsClient, type Result, type Subscription } from './graphql-clients.js';

type ReplyEvent = SendMessageStreamSubscription['sendMessage'];

/** Reads a sendMessage subscription to its end and checks the event order. */
async function readReply(subscription: Subscription<SendMessageStreamSubscription>) {
  const events = (await subscription.rest()).map((result) => eventOf(result));
  const [started, ...rest] = events;
  const last = rest.pop();
  if (started?.__typename !== 'ReplyStarted') throw new Error(`expected ReplyStarted first, got ${started?.__typename}`);
  if (last?.__typename !== 'ReplyCompleted') throw new Error(`expected ReplyCompleted last, got ${last?.__typename}`);
  const deltas = rest.map((event) => {
    if (event.__typename !== 'ReplyDelta') throw new Error(`expected ReplyDelta, got ${event.__typename}`);
    return event;
  });
  return { started, deltas, completed: last };
}

function eventOf(result: Result<SendMessageStreamSubscription>): ReplyEvent {
  if (result.errors || !result.data) throw new Error(`subscription errors: ${JSON.stringify(result.errors)}`);
  return result.data.sendMessage;
}

describe.each(storeEngines())('streaming replies over GraphQL on %s', (engine) => {
  const app = useTestApp(engine);

  async function expectStoredTurn(chatId: string, content: string, reply: string) {
    const { chat } = await data(app(), ChatDocument, { id: chatId });
    const messages = chat!.messages.edges.map((edge) => edge.node);
    expect(messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['SYSTEM', expect.any(String), 'COMPLETE'],
      ['USER', content, 'COMPLETE'],
      ['ASSISTANT', reply, 'COMPLETE'],
    ]);
    return messages;
  }

  it.each([
    ['a graphql-ws client over a real socket', 'ws'],
    ['a graphql-sse client', 'sse'],
  ] as const)('streams ReplyStarted, deltas that add up to the upstream text, and the stored reply to %s', async (_name, transport) => {
    app().openai!.reply({ deltas: ['Ahoy', ', ', 'sailor', '! 🚢'] });
    const client = transport === 'ws' ? wsClient(app()) : sseClient(app());
    try {
      const { started, deltas, completed } = await readReply(
        subscribe(client, SendMessageStreamDocument, { input: { content: 'Say ahoy' } }),
      );
      expect(started.userMessage.content).toBe('Say ahoy');
      expect(started.assistantMessage.status).toBe('STREAMING');
      // A subscriber that lags merges pending pieces: what is fixed is their order and their sum.
      expect(deltas.map((d) => d.text).join('')).toBe('Ahoy, sailor! 🚢');
      expect(deltas.at(-1)!.cursor).not.toBe(deltas[0]!.cursor);
      expect(deltas.every((d) => d.messageId === started.assistantMessage.id)).toBe(true);
      expect(completed.message).toMatchObject({ id: started.assistantMessage.id, content: 'Ahoy, sailor! 🚢', status: 'COMPLETE' });

      const stored = await expectStoredTurn(started.chat.id, 'Say ahoy', 'Ahoy, sailor! 🚢');
      expect(stored[2]).toEqual(completed.message);
    } finally {
      await client.dispose();
    }
  });

  it('answers the sendMessage mutation once the whole reply is stored', async () => {
    const { sendMessage } = await data(app(), SendMessageDocument, { input: { content: 'Hi there' } });
    expect(sendMessage.error).toBeNull();
    expect(sendMessage.reply).toMatchObject({ content: DEFAULT_FAKE_TEXT, status: 'COMPLETE', role: 'ASSISTANT' });
    await expectStoredTurn(sendMessage.chat.id, 'Hi there', DEFAULT_FAKE_TEXT);
  });

  it('continues a chat: the second turn reaches the upstream with the first one', async () => {
    const first = await data(app(), SendMessageDocument, { input: { content: 'One' } });
    const second = await data(app(), SendMessageDocument, { input: { chatId: first.sendMessage.chat.id, content: 'Two' } });
    expect(second.sendMessage.userMessage.seq).toBe(3);
    const request = app().openai!.requests.at(-1)!;
    expect(request.body.messages.map((m) => m.content)).toEqual([expect.any(String), 'One', DEFAULT_FAKE_TEXT, 'Two']);
  });

  it('reports an upstream failure as ReplyFailed with a stable code, and the mutation as error.code', async () => {
    app().openai!.reply({ error: { status: 500 } }, { error: { status: 500 } });
    const client = wsClient(app());
    try {
      const events = (await subscribe(client, SendMessageStreamDocument, { input: { content: 'Fail please' } }).rest()).map(eventOf);
      expect(events.map((e) => e.__typename)).toEqual(['ReplyStarted', 'ReplyFailed']);
      expect(events[1]).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: { status: 'FAILED', content: '' } });
    } finally {
      await client.dispose();
    }
    const { sendMessage } = await data(app(), SendMessageDocument, { input: { content: 'Fail again' } });
    expect(sendMessage.error).toEqual({ code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String) });
    expect(sendMessage.reply.status).toBe('FAILED');
  });

  it('keeps producing a reply whose subscriber went away mid-stream, and stores it whole', async () => {
    let resume!: () => void;
    app().openai!.reply({ deltas: ['one', ' two', ' three', ' four'], pauseAfterDeltas: 2, resumeWhen: new Promise<void>((r) => (resume = r)) });
    const client = wsClient(app());
    const subscription = subscribe(client, SendMessageStreamDocument, { input: { content: 'Count' } });
    const started = eventOf(await subscription.next());
    if (started.__typename !== 'ReplyStarted') throw new Error('expected ReplyStarted');
    expect(eventOf(await subscription.next())).toMatchObject({ text: 'one' });
    expect(eventOf(await subscription.next())).toMatchObject({ text: ' two' });

    await subscription.stop();
    await client.dispose();
    resume();

    const reply = await untilDefined(async () => {
      const { chat } = await data(app(), ChatDocument, { id: started.chat.id });
      const last = chat!.messages.edges.at(-1)!.node;
      return last.status === 'STREAMING' ? undefined : last;
    });
    expect(reply).toMatchObject({ id: started.assistantMessage.id, content: 'one two three four', status: 'COMPLETE' });
  });

  it('stops a streaming reply with stopReply: INCOMPLETE with exactly the text delivered', async () => {
    app().openai!.reply({ deltas: ['Once', ' upon', ' a', ' time'], pauseAfterDeltas: 2 });
    const client = sseClient(app());
    try {
      const subscription = subscribe(client, SendMessageStreamDocument, { input: { content: 'Tell a story' } });
      const started = eventOf(await subscription.next());
      if (started.__typename !== 'ReplyStarted') throw new Error('expected ReplyStarted');
      const delivered = [eventOf(await subscription.next()), eventOf(await subscription.next())]
        .map((e) => (e.__typename === 'ReplyDelta' ? e.text : ''))
        .join('');
      expect(delivered).toBe('Once upon');

      const { stopReply } = await data(app(), StopReplyDocument, { messageId: started.assistantMessage.id });
      expect(stopReply).toMatchObject({ status: 'INCOMPLETE', content: 'Once upon', finishReason: 'stopped' });

      const rest = (await subscription.rest()).map(eventOf);
      expect(rest).toEqual([{ __typename: 'ReplyCompleted', chatId: started.chat.id, message: stopReply }]);
      const { chat } = await data(app(), ChatDocument, { id: started.chat.id });
      expect(chat!.messages.edges.at(-1)!.node).toEqual(stopReply);
    } finally {
      client.dispose();
    }
  });

  it('shows a message sent through POST /chat, and its streaming reply, live on a chatEvents subscriber', async () => {
    const { createChat } = await data(app(), CreateChatDocument, { input: { title: 'Shared' } });
    const client = wsClient(app());
    try {
      const events = subscribe(client, ChatEventsDocument, { chatId: createChat.id });
      // The feed is live once a rename shows up on it (graphql-ws acknowledges subscriptions silently).
      const first = events.next();
      await untilDefined(async () => {
        await app().app.core.renameChat('alice', createChat.id, 'Shared chat');
        return Promise.race([first.then(() => true), new Promise<undefined>((r) => setTimeout(r, 50))]);
      });
      expect((await first).data?.chatEvents).toMatchObject({ __typename: 'ChatUpdated', chat: { title: 'Shared chat' } });

      app().openai!.reply({ deltas: ['From', ' the', ' legacy', ' endpoint'] });
      const legacy = await app().postJson('/chat', { chat_id: createChat.id, user_id: 'alice', user_message: 'Hello via HTTP' });
      expect(legacy.status).toBe(200);

      const seen = [];
      for (;;) {
        const event = (await events.next()).data!.chatEvents;
        if (event.__typename === 'ChatUpdated') continue;
        seen.push(event);
        if (event.__typename === 'ReplyCompleted') break;
      }
      expect(seen[0]!.__typename).toBe('ReplyStarted');
      expect(seen.slice(1, -1).every((e) => e.__typename === 'ReplyDelta')).toBe(true);
      expect(seen[0]).toMatchObject({ userMessage: { content: 'Hello via HTTP' } });
      expect(seen.slice(1, -1).map((e) => (e.__typename === 'ReplyDelta' ? e.text : '')).join('')).toBe('From the legacy endpoint');
      expect(seen.at(-1)).toMatchObject({ message: { content: 'From the legacy endpoint', status: 'COMPLETE' } });
      await events.stop();
    } finally {
      await client.dispose();
    }
  });
});
