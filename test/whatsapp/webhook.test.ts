import { eventually } from '../support/eventually.js';
import { describe, expect, it } from 'vitest';
import { newMessageSid, TEST_WHATSAPP_FROM, whatsAppInbound, type WebhookOptions } from '../support/fake-twilio.js';
import { storeEngines } from '../support/stores.js';
import { EMPTY_TWIML, NUMBER, USER_ID, useWhatsAppApp } from './whatsapp-test-app.js';
import { storedMessages } from '../support/stored-messages.js';

describe.each(storeEngines())('WhatsApp webhook on %s', (engine) => {
  const t = useWhatsAppApp(engine);

  it('answers a signed message with empty TwiML, then sends the reply from TWILIO_WHATSAPP_FROM to the sender', async () => {
    t().openai!.reply({ text: 'Hello from the model 👋' });
    const response = await t().say('Hi there');

    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/xml');
    expect(response.body).toBe(EMPTY_TWIML);
    const [sent] = await t().twilio.waitForMessages(1);
    expect(sent).toMatchObject({ from: TEST_WHATSAPP_FROM, to: USER_ID, body: 'Hello from the model 👋' });
    // The SDK authenticated as the account and posted to its Messages resource.
    expect(t().twilio.requests[0]).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${t().twilio.accountSid}/Messages.json`,
      status: 201,
    });
  });

  it('continues the same chat with the next message from the same number', async () => {
    t().openai!.reply({ text: 'Nice to meet you, Ada.' }, { text: 'Your name is Ada.' });
    await t().say('My name is Ada.');
    await t().twilio.waitForMessages(1);
    await t().say('What is my name?');
    const sent = await t().twilio.waitForMessages(2);

    expect(sent.map((m) => m.body)).toEqual(['Nice to meet you, Ada.', 'Your name is Ada.']);
    const chats = await t().app.core.listChats({ userId: USER_ID });
    expect(chats.items).toHaveLength(1);
    const second = t().openai!.requests.at(-1)!.body.messages.map((m) => m.content);
    expect(second.slice(1)).toEqual(['My name is Ada.', 'Nice to meet you, Ada.', 'What is my name?']);
  });

  it('keeps the conversation as an ordinary chat of user whatsapp:+<number>, readable through the core', async () => {
    t().openai!.reply({ text: 'Stored answer.' });
    await t().say('Store this');
    await t().twilio.waitForMessages(1);

    const chats = await t().app.core.listChats({ userId: USER_ID });
    expect(chats.items).toHaveLength(1);
    expect(chats.items[0]).toMatchObject({ userId: USER_ID, title: 'Store this', status: 'ACTIVE' });
    await eventually(async () => {
      const messages = await storedMessages(t().app.core, { userId: USER_ID, chatId: chats.items[0]!.id });
      expect(messages.items.map((m) => [m.role, m.content, m.status])).toEqual([
        ['SYSTEM', 'You are a helpful assistant.', 'COMPLETE'],
        ['USER', 'Store this', 'COMPLETE'],
        ['ASSISTANT', 'Stored answer.', 'COMPLETE'],
      ]);
    });
    await eventually(async () => {
      const [inbound] = await t().store.knex('whatsapp_inbound_messages').select();
      expect(inbound).toMatchObject({ user_id: USER_ID, chat_id: chats.items[0]!.id, delivery_status: 'sent' });
    });
  });

  it.each<[string, WebhookOptions]>([
    ['an invalid signature', { signingToken: 'not-the-auth-token' }],
    ['no signature', { signature: '' }],
    ['a signature for another URL', { signedUrl: 'https://attacker.example.com/webhooks/twilio/whatsapp' }],
    ['a signature of other parameters', { signature: 'placeholder' }],
  ])('refuses a webhook with %s: 403, nothing stored, no upstream call, no reply', async (_name, options) => {
    const fields = whatsAppInbound({ from: NUMBER, body: 'Let me in' });
    const signature =
      options.signature === 'placeholder' ? t().twilio.sign(t().webhookUrl, { ...fields, Body: 'something else' }) : options.signature;
    const response = await t().twilio.postWebhook(t().webhookUrl, fields, { ...options, signature });

    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'Missing or invalid X-Twilio-Signature' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await t().countRows('whatsapp_inbound_messages')).toBe(0);
    expect(await t().countRows('whatsapp_users')).toBe(0);
    expect(await t().countRows('chats')).toBe(0);
    expect(t().openai!.requests).toHaveLength(0);
    expect(t().twilio.requests).toHaveLength(0);
  });

  it('answers a retried webhook (same MessageSid) with 200 and no second reply', async () => {
    const messageSid = newMessageSid();
    t().openai!.reply({ text: 'Only once.' });
    const first = await t().say('Hello?', { messageSid });
    await t().twilio.waitForMessages(1);
    const retry = await t().say('Hello?', { messageSid });

    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toBe(EMPTY_TWIML);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t().twilio.messages.map((m) => m.body)).toEqual(['Only once.']);
    expect(t().openai!.requests).toHaveLength(1);
    expect(await t().countRows('whatsapp_inbound_messages')).toBe(1);
  });

  it('answers once when two deliveries of the same MessageSid arrive together', async () => {
    const messageSid = newMessageSid();
    t().openai!.reply({ text: 'Still only once.' });
    const responses = await Promise.all([t().say('Twice?', { messageSid }), t().say('Twice?', { messageSid })]);

    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await t().twilio.waitForMessages(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t().twilio.messages).toHaveLength(1);
    expect(t().openai!.requests).toHaveLength(1);
  });

  it.each([
    ['From is not a WhatsApp address', { From: NUMBER }, /^From: /],
    ['From is not an E.164 number', { From: 'whatsapp:+0123' }, /^From: /],
    ['MessageSid is malformed', { MessageSid: 'SM123' }, /^MessageSid: /],
    ['MessageSid is missing', { MessageSid: undefined }, /^MessageSid: /],
    ['Body is longer than Twilio delivers', { Body: 'x'.repeat(1_601) }, /^Body: must be at most 1600 characters/],
    ['NumMedia is not a number', { NumMedia: 'many' }, /^NumMedia: /],
  ])('answers 400 with the standard error when %s, after a valid signature', async (_name, change, message) => {
    const changed: Record<string, string | undefined> = { ...whatsAppInbound({ from: NUMBER, body: 'Hello' }), ...change };
    const fields = Object.fromEntries(
      Object.entries(changed).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const response = await t().twilio.postWebhook(t().webhookUrl, fields);

    expect(response.status).toBe(400);
    expect(response.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(response.body);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toMatch(message);
    expect(await t().countRows('whatsapp_inbound_messages')).toBe(0);
    expect(t().openai!.requests).toHaveLength(0);
  });

  it('measures the body in characters, as Twilio does: 1,600 code points of emoji pass', async () => {
    t().openai!.reply({ text: 'Lots of smiles.' });
    const body = '😀 '.repeat(800);
    expect(body.length).toBe(2_400);
    const response = await t().say(body);
    expect(response.status).toBe(200);
    await t().twilio.waitForMessages(1);
  });

  it('refuses a signed request that is not form-encoded with 415', async () => {
    const response = await fetch(t().webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': t().twilio.sign(t().webhookUrl, {}) },
      body: JSON.stringify({ From: USER_ID }),
    });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('INVALID_INPUT');
  });
});
