import { describe, expect, it } from 'vitest';
import { SERVICE_TOKEN } from '../support/test-app.js';
import { USER_ID, useWhatsAppApp } from './whatsapp-test-app.js';

/*
 * WhatsApp conversations are ordinary chats of `whatsapp:+<number>`: a trusted
 * backend sees them through GraphQL, and watches them live. Plain fetch over
 * the contract's names (Query.chats, Subscription.chatEvents), no codegen.
 */

const headers = (accept: string) => ({
  'content-type': 'application/json',
  accept,
  authorization: `Bearer ${SERVICE_TOKEN}`,
  'x-user-id': USER_ID,
});

/** The `data:` payloads of a Server-Sent Events response, as they arrive. */
async function* sseData(response: Response): AsyncGenerator<any> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('\n');
      if (data !== '') yield JSON.parse(data);
    }
  }
}

describe('WhatsApp chats through GraphQL', () => {
  const t = useWhatsAppApp('sqlite');

  it('lists the WhatsApp chat, with its messages, to a service token acting for whatsapp:+<number>', async () => {
    t().openai!.reply({ text: 'Seen from the web.' });
    await t().say('Hello from my phone');
    await t().twilio.waitForMessages(1);

    const response = await fetch(`${t().httpUrl}/graphql`, {
      method: 'POST',
      headers: headers('application/graphql-response+json'),
      body: JSON.stringify({
        query: '{ chats(first: 10) { edges { node { title messages { edges { node { role content status } } } } } } }',
      }),
    });
    const result = await response.json();
    expect(result.errors).toBeUndefined();
    const chats = result.data.chats.edges.map((e: any) => e.node);
    expect(chats).toHaveLength(1);
    expect(chats[0].title).toBe('Hello from my phone');
    expect(chats[0].messages.edges.map((e: any) => [e.node.role, e.node.content, e.node.status]).slice(1)).toEqual([
      ['USER', 'Hello from my phone', 'COMPLETE'],
      ['ASSISTANT', 'Seen from the web.', 'COMPLETE'],
    ]);
  });

  it('streams a WhatsApp message and its reply live on chatEvents', async () => {
    t().openai!.reply({ text: 'First.' });
    await t().say('Open the chat');
    await t().twilio.waitForMessages(1);
    const [chat] = (await t().app.core.listChats({ userId: USER_ID })).items;

    const abort = new AbortController();
    try {
      const response = await fetch(`${t().httpUrl}/graphql`, {
        method: 'POST',
        headers: headers('text/event-stream'),
        body: JSON.stringify({
          query: `subscription ($chatId: ID!) { chatEvents(chatId: $chatId) {
            __typename
            ... on ChatUpdated { chat { title } }
            ... on ReplyStarted { userMessage { content } }
            ... on ReplyDelta { text }
            ... on ReplyCompleted { message { content status } }
          } }`,
          variables: { chatId: chat!.id },
        }),
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      const events = sseData(response);

      // The feed is live once a rename made after subscribing shows up on it.
      let live = false;
      const first = events.next();
      for (let i = 0; !live && i < 50; i += 1) {
        await t().app.core.renameChat(USER_ID, chat!.id, `Live ${i}`);
        live = await Promise.race([first.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 50))]);
      }
      expect((await first).value.data.chatEvents.__typename).toBe('ChatUpdated');

      t().openai!.reply({ deltas: ['Live', ' from', ' WhatsApp'] });
      await t().say('Are you streaming?');

      const seen: any[] = [];
      for await (const payload of events) {
        const event = payload.data.chatEvents;
        if (event.__typename === 'ChatUpdated') continue;
        seen.push(event);
        if (event.__typename === 'ReplyCompleted') break;
      }
      // A subscriber that lags gets merged deltas: what is fixed is the order and the text they add up to.
      expect(seen[0]!.__typename).toBe('ReplyStarted');
      expect(seen.at(-1)!.__typename).toBe('ReplyCompleted');
      expect(seen.slice(1, -1).every((e) => e.__typename === 'ReplyDelta')).toBe(true);
      expect(seen.slice(1, -1).map((e) => e.text).join('')).toBe('Live from WhatsApp');
      expect(seen[0].userMessage.content).toBe('Are you streaming?');
      expect(seen.at(-1).message).toEqual({ content: 'Live from WhatsApp', status: 'COMPLETE' });
      await t().twilio.waitForMessages(2);
    } finally {
      abort.abort();
    }
  });
});
