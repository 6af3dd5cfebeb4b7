import { eventually } from '../support/eventually.js';
import { describe, expect, it } from 'vitest';
import { WHATSAPP_TEXTS } from '../../src/channels/whatsapp/texts/whatsapp-texts.js';
import { storeEngines } from '../support/stores.js';
import { FAST_RETRY, USER_ID, useWhatsAppApp } from './whatsapp-test-app.js';
import { storedMessages } from '../support/stored-messages.js';

/** About `length` characters of prose with emoji of every kind: ZWJ sequences, skin tones, flags, tags. */
function longReplyWithEmoji(length: number): string {
  const pieces = [
    'The answer has many parts.',
    'Here is a family 👩‍👩‍👧‍👦 and a coder 👩🏽‍💻 at work.',
    'Flags wave: 🇺🇸 🇯🇵 🇧🇷 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏳️‍🌈!',
    'Accents stay put: café, naïve, Zürich, e\u0301.',
    'Music 𝄞 and a party 🎉🎉🎉 close the paragraph.',
  ];
  let text = '';
  for (let i = 0; text.length < length; i += 1) {
    text += pieces[i % pieces.length];
    text += i % 7 === 6 ? '\n\n' : ' ';
  }
  return text;
}

describe.each(storeEngines())('WhatsApp reply delivery on %s', (engine) => {
  const t = useWhatsAppApp(engine);

  const storedReplies = async () => {
    const [chat] = (await t().app.core.listChats({ userId: USER_ID })).items;
    const page = await storedMessages(t().app.core, { userId: USER_ID, chatId: chat!.id, first: 100 });
    return page.items.filter((m) => m.role === 'ASSISTANT');
  };

  it('delivers a 5,000-character reply with emoji as ordered parts of at most 1,600 characters that concatenate to the stored reply', async () => {
    const text = longReplyWithEmoji(5_000);
    expect(text.length).toBeGreaterThanOrEqual(5_000);
    t().openai!.reply({ text });
    await t().say('Tell me everything');

    await eventually(async () => expect(t().twilio.messages.length).toBeGreaterThanOrEqual(4), 5_000);
    await eventually(async () => expect((await storedReplies())[0]?.status).toBe('COMPLETE'));
    const [stored] = await storedReplies();
    const parts = t().twilio.messagesTo(USER_ID).map((m) => m.body);
    expect(stored!.content).toBe(text);
    expect(parts.join('')).toBe(stored!.content);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1_600);
    // Nothing more is on its way.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(t().twilio.messages).toHaveLength(parts.length);
  });

  it('apologizes when the upstream fails, and stores the failure', async () => {
    t().openai!.reply({ error: { status: 500 } });
    await t().say('Are you working?');

    const [sent] = await t().twilio.waitForMessages(1);
    expect(sent!.body).toBe(WHATSAPP_TEXTS.apology);
    const [reply] = await storedReplies();
    expect(reply).toMatchObject({ status: 'FAILED', finishReason: 'error', content: '' });
  });

  it('sends what arrived, then the apology, when the upstream dies mid-reply', async () => {
    t().openai!.reply({ deltas: ['Half ', 'an ', 'answer'], dropAfterDeltas: 2 });
    await t().say('Start something');

    const [sent] = await t().twilio.waitForMessages(1);
    expect(sent!.body).toBe(`Half an \n\n${WHATSAPP_TEXTS.apology}`);
    const [reply] = await storedReplies();
    expect(reply).toMatchObject({ status: 'INCOMPLETE', content: 'Half an ' });
  });

  it.each([
    ['500', { status: 500 }],
    ['429', { status: 429 }],
    ['503', { status: 503 }],
    ['a dropped connection', 'drop' as const],
  ])('retries the Twilio REST call after %s and delivers the reply once', async (_name, failure) => {
    t().twilio.failNext(2, failure);
    t().openai!.reply({ text: 'Worth the wait.' });
    await t().say('Hello');

    const [sent] = await t().twilio.waitForMessages(1);
    expect(sent!.body).toBe('Worth the wait.');
    expect(t().twilio.requests.map((r) => r.status)).toEqual([failure === 'drop' ? 0 : failure.status, failure === 'drop' ? 0 : failure.status, 201]);
  });

  it('gives up after a bounded number of attempts; the reply stays stored and the failed delivery is recorded', async () => {
    t().twilio.failNext(10, { status: 500 });
    t().openai!.reply({ text: 'Nobody will read this.' });
    await t().say('Hello');

    await eventually(async () => {
      const [inbound] = await t().store.knex('whatsapp_inbound_messages').select();
      expect(inbound).toMatchObject({ delivery_status: 'failed' });
    });
    expect(t().twilio.requests).toHaveLength(FAST_RETRY.attempts);
    expect(t().twilio.messages).toHaveLength(0);
    const [reply] = await storedReplies();
    expect(reply).toMatchObject({ status: 'COMPLETE', content: 'Nobody will read this.' });
  });

  it('does not retry a request Twilio refuses for good (400)', async () => {
    t().twilio.failNext(1, { status: 400, code: 21211, message: "Invalid 'To' Phone Number" });
    t().openai!.reply({ text: 'Undeliverable.' });
    await t().say('Hello');

    await eventually(async () => {
      const [inbound] = await t().store.knex('whatsapp_inbound_messages').select();
      expect(inbound).toMatchObject({ delivery_status: 'failed' });
    });
    expect(t().twilio.requests.map((r) => r.status)).toEqual([400]);
  });

  it('holds back the later parts when one part cannot be delivered, so no reader meets a gap', async () => {
    const text = longReplyWithEmoji(5_000);
    t().twilio.failNext(10, { status: 500 }, { afterAccepted: 1 });
    t().openai!.reply({ text });
    await t().say('Long one please');

    await eventually(async () => {
      const [inbound] = await t().store.knex('whatsapp_inbound_messages').select();
      expect(inbound).toMatchObject({ delivery_status: 'failed' });
    });
    expect(t().twilio.messages).toHaveLength(1);
    expect(text.startsWith(t().twilio.messages[0]!.body)).toBe(true);
    expect(t().twilio.requests.map((r) => r.status)).toEqual([201, ...Array(FAST_RETRY.attempts).fill(500)]);
    expect((await storedReplies())[0]).toMatchObject({ status: 'COMPLETE', content: text });
  });
});
