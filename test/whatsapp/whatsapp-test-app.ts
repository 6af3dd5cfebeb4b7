import { afterAll, afterEach, beforeAll } from 'vitest';
import { WHATSAPP_WEBHOOK_PATH } from '../../src/channels/whatsapp/whatsapp-webhook-route.js';
import { FakeTwilio, whatsAppInbound, type WebhookOptions, type WebhookResponse } from '../support/fake-twilio.js';
import type { StoreEngine } from '../support/stores.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

/** Short backoff so retry tests take milliseconds; the policy is the same. */
export const FAST_RETRY = { attempts: 4, initialDelayMs: 10, maxDelayMs: 40 } as const;

export const NUMBER = '+15551234567';
export const USER_ID = `whatsapp:${NUMBER}`;

export interface WhatsAppTestApp extends TestApp {
  readonly twilio: FakeTwilio;
  /** The webhook's URL on the running app, as Twilio would call it. */
  readonly webhookUrl: string;
  /** Posts a signed incoming text (or media) message from `from`, as Twilio does. */
  say(body: string, options?: { from?: string; messageSid?: string; numMedia?: number } & WebhookOptions): Promise<WebhookResponse>;
  countRows(table: string): Promise<number>;
}

/** The real app with Twilio pointed at a fresh FakeTwilio. Stop it with `stop()`. */
export async function startWhatsAppApp(engine: StoreEngine, options: TestAppOptions = {}): Promise<WhatsAppTestApp> {
  const twilio = await FakeTwilio.start();
  const app = await startTestApp(engine, {
    ...options,
    env: { ...twilio.env(), ...options.env },
    overrides: { whatsapp: { sendRetry: FAST_RETRY }, ...options.overrides },
  });
  const webhookUrl = `${app.httpUrl}${WHATSAPP_WEBHOOK_PATH}`;
  return {
    ...app,
    twilio,
    webhookUrl,
    say: (body, { from = NUMBER, messageSid, numMedia, ...webhook } = {}) =>
      twilio.postWebhook(webhookUrl, whatsAppInbound({ from, body, messageSid, numMedia }), webhook),
    countRows: async (table) => {
      const [row] = await app.store.knex(table).count({ n: '*' });
      return Number(row!.n);
    },
    async stop() {
      await app.stop();
      await twilio.close();
    },
  };
}

/** One app per suite; store, Twilio recordings and scripted failures reset between tests. */
export function useWhatsAppApp(engine: StoreEngine, options: TestAppOptions = {}): () => WhatsAppTestApp {
  let testApp: WhatsAppTestApp | undefined;
  beforeAll(async () => {
    testApp = await startWhatsAppApp(engine, options);
  });
  afterEach(async () => {
    await testApp?.store.truncate();
    testApp?.twilio.reset();
    // Each test counts the upstream requests it caused.
    testApp?.openai?.requests.splice(0);
  });
  afterAll(async () => {
    await testApp?.stop();
  });
  return () => {
    if (!testApp) throw new Error('the WhatsApp test app is not started');
    return testApp;
  };
}

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
