import { describe, expect, it } from 'vitest';
import { WHATSAPP_WEBHOOK_PATH } from '../../src/channels/whatsapp/whatsapp-webhook-route.js';
import { FakeTwilio, whatsAppInbound } from '../support/fake-twilio.js';
import { useTestApp } from '../support/test-app.js';
import { NUMBER, USER_ID, useWhatsAppApp } from './whatsapp-test-app.js';

// The store plays no part in these: SQLite only.
describe('WhatsApp without Twilio configured', () => {
  const t = useTestApp('sqlite');

  it('answers the webhook with 503 and a message that names the missing settings', async () => {
    const twilio = await FakeTwilio.start();
    try {
      const response = await twilio.postWebhook(`${t().httpUrl}${WHATSAPP_WEBHOOK_PATH}`, whatsAppInbound({ from: NUMBER, body: 'Hi' }));
      expect(response.status).toBe(503);
      expect(JSON.parse(response.body)).toEqual({
        error: {
          code: 'UPSTREAM_UNAVAILABLE',
          message: 'WhatsApp is not configured on this server: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM',
        },
      });
      expect(t().openai!.requests).toHaveLength(0);
    } finally {
      await twilio.close();
    }
  });

  it('runs the rest of the service as usual', async () => {
    expect((await fetch(`${t().httpUrl}/healthz`)).status).toBe(200);
    const chat = await t().postJson('/chat', { user_id: 'alice', user_message: 'Still here?' });
    expect(chat.status).toBe(200);
  });
});

describe('WhatsApp behind a proxy (PUBLIC_BASE_URL)', () => {
  const PUBLIC_BASE_URL = 'https://chat.example.com';
  const publicUrl = `${PUBLIC_BASE_URL}${WHATSAPP_WEBHOOK_PATH}`;
  const t = useWhatsAppApp('sqlite', { env: { PUBLIC_BASE_URL } });

  it('accepts a signature made for the public URL Twilio called', async () => {
    t().openai!.reply({ text: 'Through the proxy.' });
    const response = await t().say('Hello via proxy', { signedUrl: publicUrl });
    expect(response.status).toBe(200);
    const [sent] = await t().twilio.waitForMessages(1);
    expect(sent).toMatchObject({ to: USER_ID, body: 'Through the proxy.' });
  });

  it('refuses a signature made for the internal URL the request reached', async () => {
    const response = await t().say('Hello direct');
    expect(response.status).toBe(403);
    expect(t().openai!.requests).toHaveLength(0);
  });

  it('includes the query string in the signed URL, as Twilio does', async () => {
    const fields = whatsAppInbound({ from: NUMBER, body: 'With a query' });
    const query = '?tenant=a%20b';
    t().openai!.reply({ text: 'Query kept.' });
    const response = await t().twilio.postWebhook(`${t().webhookUrl}${query}`, fields, { signedUrl: `${publicUrl}${query}` });
    expect(response.status).toBe(200);
    await t().twilio.waitForMessages(1);

    const unsignedQuery = await t().twilio.postWebhook(`${t().webhookUrl}?tenant=other`, fields, { signedUrl: `${publicUrl}${query}` });
    expect(unsignedQuery.status).toBe(403);
  });
});
