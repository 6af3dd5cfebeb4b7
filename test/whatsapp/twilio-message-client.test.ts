import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TwilioMessageClient, TwilioSendError } from '../../src/infra/twilio/twilio-message-client.js';
import { createLogger } from '../../src/infra/logging/logger.js';
import { FakeTwilio, TEST_WHATSAPP_FROM } from '../support/fake-twilio.js';

const TO = 'whatsapp:+15551234567';
const logger = createLogger({ level: 'silent' });
const retry = { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 };

describe('TwilioMessageClient against the fake Twilio REST API', () => {
  let twilio: FakeTwilio;
  beforeAll(async () => {
    twilio = await FakeTwilio.start();
  });
  afterEach(() => twilio.reset());
  afterAll(async () => {
    await twilio.close();
  });

  const client = (overrides: { authToken?: string; apiBaseUrl?: string } = {}) =>
    TwilioMessageClient.create({
      accountSid: twilio.accountSid,
      authToken: overrides.authToken ?? twilio.authToken,
      apiBaseUrl: overrides.apiBaseUrl ?? twilio.url,
      logger,
      retry,
    });

  it('creates the message with the official SDK and returns Twilio\'s SID and status', async () => {
    const sent = await client().send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'Hello 🌍' });

    expect(sent).toEqual({ sid: twilio.messages[0]!.sid, status: 'queued', attempts: 1 });
    expect(twilio.messages).toEqual([{ sid: sent.sid, from: TEST_WHATSAPP_FROM, to: TO, body: 'Hello 🌍' }]);
    const [request] = twilio.requests;
    expect(request!.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`);
    expect(request!.form).toEqual({ From: TEST_WHATSAPP_FROM, To: TO, Body: 'Hello 🌍' });
  });

  it('accepts TWILIO_API_BASE_URL with a trailing slash', async () => {
    await client({ apiBaseUrl: `${twilio.url}/` }).send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'Slash' });
    expect(twilio.messages).toHaveLength(1);
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    twilio.failNext(1, { status: 503 }).failNext(1, { status: 429 });
    const sent = await client().send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'Eventually' });
    expect(sent.attempts).toBe(3);
    expect(twilio.requests.map((r) => r.status)).toEqual([503, 429, 201]);
  });

  it('gives up after the bounded number of attempts with Twilio\'s error code', async () => {
    twilio.failNext(5, { status: 500 });
    const failure = await client()
      .send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'Never' })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TwilioSendError);
    expect((failure as TwilioSendError).details).toEqual({ status: 500, twilioCode: 20500, attempts: 3 });
    expect(twilio.requests).toHaveLength(3);
  });

  it('does not retry a refusal that will not change: wrong credentials', async () => {
    const failure = await client({ authToken: 'wrong-token' })
      .send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'Nope' })
      .catch((error: unknown) => error);

    expect((failure as TwilioSendError).details).toEqual({ status: 401, twilioCode: 20003, attempts: 1 });
    expect(twilio.requests).toHaveLength(1);
  });

  it('does not retry a body over Twilio\'s limit (21617)', async () => {
    const failure = await client()
      .send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'x'.repeat(1_601) })
      .catch((error: unknown) => error);

    expect((failure as TwilioSendError).details).toEqual({ status: 400, twilioCode: 21617, attempts: 1 });
  });

  it('retries when the connection is dropped or refused', async () => {
    twilio.failNext(2, 'drop');
    const sent = await client().send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'Reconnect' });
    expect(sent.attempts).toBe(3);

    const closed = await FakeTwilio.start();
    const url = closed.url;
    await closed.close();
    const refused = await client({ apiBaseUrl: url })
      .send({ from: TEST_WHATSAPP_FROM, to: TO, body: 'Nobody home' })
      .catch((error: unknown) => error);
    expect((refused as TwilioSendError).details.attempts).toBe(3);
  });
});
