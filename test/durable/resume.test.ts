import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import { auth, v1Client } from '../grpc/support/grpc-clients.js';
import {
  ChatDocument,
  ReplyEventsDocument,
  SendMessageStreamDocument,
  type ReplyEventsSubscription,
  type SendMessageStreamSubscription,
} from '../graphql/generated/graphql.js';
import { data, executeRaw, sseClient, subscribe, wsClient, type Result } from '../graphql/graphql-clients.js';
import { ReplyReader } from '../support/reply-reader.js';

const WORDS = Array.from({ length: 120 }, (_, i) => `word${i} `);
const TEXT = WORDS.join('');

type Event = SendMessageStreamSubscription['sendMessage'] | ReplyEventsSubscription['replyEvents'];

/** Reads events until `stop` says so; returns them and the text of their deltas. */
async function readUntil(
  next: () => Promise<Result<SendMessageStreamSubscription | ReplyEventsSubscription>>,
  stop: (event: Event, text: string) => boolean,
) {
  const events: Event[] = [];
  let text = '';
  let cursor: string | undefined;
  for (;;) {
    const result = await next();
    if (result.errors || !result.data) throw new Error(`subscription errors: ${JSON.stringify(result.errors)}`);
    const event = 'sendMessage' in result.data ? result.data.sendMessage : result.data.replyEvents;
    events.push(event);
    if (event.__typename === 'ReplyDelta') {
      text += event.text;
      cursor = event.cursor;
    }
    if (stop(event, text)) return { events, text, cursor };
  }
}

const ended = (event: Event) => event.__typename === 'ReplyCompleted' || event.__typename === 'ReplyFailed';

describe.each(storeEngines())('resuming a reply on %s', (engine) => {
  const app = useTestApp(engine);

  it('gives a graphql-ws client that lost its connection exactly the rest of a running reply with replyEvents(after:)', async () => {
    app().openai!.reply({ deltas: WORDS, chunkDelayMs: 5 });
    const first = wsClient(app());
    const sub = subscribe(first, SendMessageStreamDocument, { input: { content: 'Count for me' } });
    const before = await readUntil(() => sub.next(), (_e, text) => text.length > 100);
    const started = before.events[0]!;
    if (started.__typename !== 'ReplyStarted') throw new Error('expected ReplyStarted');
    // The connection drops (a reload, a tunnel): the reply goes on without it.
    await first.dispose();

    const second = wsClient(app());
    try {
      const { chat } = await data(app(), ChatDocument, { id: started.chat.id });
      const resumed = subscribe(second, ReplyEventsDocument, { messageId: started.assistantMessage.id, after: before.cursor! });
      const after = await readUntil(() => resumed.next(), ended);
      expect(after.events[0]).toMatchObject({ __typename: 'ReplyStarted', assistantMessage: { id: started.assistantMessage.id } });
      expect(before.text + after.text).toBe(TEXT);
      const last = after.events.at(-1)!;
      expect(last).toMatchObject({ __typename: 'ReplyCompleted', message: { content: TEXT, status: 'COMPLETE' } });
      expect(chat).not.toBeNull();
    } finally {
      await second.dispose();
    }
  });

  it('replays an ended reply from any cursor, from the store, over SSE', async () => {
    app().openai!.reply({ deltas: ['One, ', 'two, ', 'three.'] });
    const client = wsClient(app());
    const send = subscribe(client, SendMessageStreamDocument, { input: { content: 'Count' } });
    const whole = await readUntil(() => send.next(), ended);
    await client.dispose();
    const started = whole.events[0]!;
    if (started.__typename !== 'ReplyStarted') throw new Error('expected ReplyStarted');
    const deltas = whole.events.filter((e) => e.__typename === 'ReplyDelta');

    const sse = sseClient(app());
    try {
      for (const [index, delta] of [[-1, undefined] as const, ...deltas.map((d, i) => [i, d] as const)]) {
        const shown = deltas.slice(0, index + 1).map((d) => (d.__typename === 'ReplyDelta' ? d.text : '')).join('');
        const after = delta?.__typename === 'ReplyDelta' ? delta.cursor : null;
        const replay = subscribe(sse, ReplyEventsDocument, { messageId: started.assistantMessage.id, after });
        const rest = await readUntil(() => replay.next(), ended);
        expect(shown + rest.text).toBe('One, two, three.');
        expect(rest.events.at(-1)).toMatchObject({ __typename: 'ReplyCompleted', message: { status: 'COMPLETE' } });
      }
    } finally {
      sse.dispose();
    }
  });

  it("shows a running reply as the chat's activeReply, and null once it ended", async () => {
    let release!: () => void;
    app().openai!.reply({ deltas: ['Wait', ' for it'], pauseAfterDeltas: 1, resumeWhen: new Promise<void>((r) => (release = r)) });
    const client = wsClient(app());
    try {
      const sub = subscribe(client, SendMessageStreamDocument, { input: { content: 'Hold on' } });
      const before = await readUntil(() => sub.next(), (_e, text) => text.length > 0);
      const started = before.events[0]!;
      if (started.__typename !== 'ReplyStarted') throw new Error('expected ReplyStarted');
      const query = `query($id: ID!) { chat(id: $id) { activeReply { id status content } } }`;
      const running = await executeRaw(app(), query, { id: started.chat.id });
      expect(running.data).toEqual({ chat: { activeReply: { id: started.assistantMessage.id, status: 'STREAMING', content: expect.any(String) } } });
      release();
      await readUntil(() => sub.next(), ended);
      await eventually(async () => expect((await executeRaw(app(), query, { id: started.chat.id })).data).toEqual({ chat: { activeReply: null } }));
    } finally {
      await client.dispose();
    }
  });

  it("refuses another user's reply, an unknown id and a bad cursor with the same codes as any other input", async () => {
    app().openai!.reply({ text: 'Private.' });
    const client = wsClient(app());
    const send = subscribe(client, SendMessageStreamDocument, { input: { content: 'Mine' } });
    const whole = await readUntil(() => send.next(), ended);
    await client.dispose();
    const started = whole.events[0]!;
    if (started.__typename !== 'ReplyStarted') throw new Error('expected ReplyStarted');
    const query = 'subscription($id: ID!, $after: String) { replyEvents(messageId: $id, after: $after) { __typename } }';
    const codeOf = async (variables: Record<string, unknown>, userId = 'alice') => {
      const result = await executeRaw(app(), query, variables, { userId }, { accept: 'application/graphql-response+json' });
      return result.errors?.[0]?.extensions?.code;
    };
    expect(await codeOf({ id: started.assistantMessage.id }, 'mallory')).toBe('NOT_FOUND');
    expect(await codeOf({ id: 'no-such-message' })).toBe('NOT_FOUND');
    expect(await codeOf({ id: started.userMessage.id })).toBe('NOT_FOUND');
    expect(await codeOf({ id: started.assistantMessage.id, after: 'not-a-cursor' })).toBe('INVALID_INPUT');
  });

  it('resumes over gRPC WatchReply with no gap and no repeat, while running and after the end', async () => {
    app().openai!.reply({ deltas: WORDS, chunkDelayMs: 5 });
    const client = v1Client(app().grpcPort);
    try {
      const call = client.SendMessage({ user_id: 'alice', content: 'Count for me' }, auth());
      const reader = new ReplyReader(call);
      await reader.until(100);
      call.cancel();
      const shown = reader.now;

      const live = await new ReplyReader(
        client.WatchReply({ user_id: 'alice', message_id: shown.messageId, after: shown.lastCursor! }, auth()),
      ).done;
      expect(live.error).toBeUndefined();
      expect(shown.text + live.seen.text).toBe(TEXT);
      expect(live.seen.ending?.completed?.message).toMatchObject({ content: TEXT, status: 'MESSAGE_STATUS_COMPLETE' });

      const replay = await new ReplyReader(client.WatchReply({ user_id: 'alice', message_id: shown.messageId }, auth())).done;
      expect(replay.seen.text).toBe(TEXT);

      const foreign = await new ReplyReader(client.WatchReply({ user_id: 'mallory', message_id: shown.messageId }, auth())).done;
      expect(foreign.error?.code).toBe(status.NOT_FOUND);
      const missing = await new ReplyReader(client.WatchReply({ user_id: 'alice', message_id: '' }, auth())).done;
      expect(missing.error?.code).toBe(status.INVALID_ARGUMENT);
      const badCursor = await new ReplyReader(client.WatchReply({ user_id: 'alice', message_id: shown.messageId, after: 'r2.x' }, auth())).done;
      expect(badCursor.error?.code).toBe(status.INVALID_ARGUMENT);
      expect(badCursor.error?.metadata.get('chatservice-error-code')).toEqual(['INVALID_INPUT']);
    } finally {
      client.close();
    }
  });
});
