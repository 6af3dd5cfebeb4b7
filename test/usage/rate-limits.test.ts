import { describe, expect, it } from 'vitest';
import { WHATSAPP_TEXTS } from '../../src/channels/whatsapp/texts/whatsapp-texts.js';
import { storeEngines } from '../support/stores.js';
import { SERVICE_TOKEN } from '../support/test-app.js';
import { USER_ID, useWhatsAppApp, type WhatsAppTestApp } from '../whatsapp/whatsapp-test-app.js';
import { budgetRow, countRows, messagesOf, sendOverGraphQL, sendOverGrpc } from './usage-test-kit.js';

async function postChat(app: WhatsAppTestApp, userId: string, message: string) {
  const response = await fetch(`${app.httpUrl}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
    body: JSON.stringify({ user_id: userId, user_message: message }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

/** Sends a WhatsApp message and resolves with the text of its answer. */
async function ask(app: WhatsAppTestApp, body: string): Promise<string> {
  const before = app.twilio.messages.length;
  expect((await app.say(body)).status).toBe(200);
  return (await app.twilio.waitForMessages(before + 1)).at(-1)!.body;
}

describe.each(storeEngines())('requests per minute on %s', (engine) => {
  const t = useWhatsAppApp(engine, { env: { USER_REQUESTS_PER_MINUTE: '4' } });

  it('counts one user\'s messages across every channel, and refuses the rest with when to retry', async () => {
    // Four messages, one per channel, all as the WhatsApp user.
    expect((await sendOverGraphQL(t(), USER_ID, 'over GraphQL')).reply?.status).toBe('COMPLETE');
    expect((await sendOverGrpc(t(), USER_ID, 'over gRPC')).error).toBeUndefined();
    expect((await postChat(t(), USER_ID, 'over POST /chat')).status).toBe(200);
    expect(await ask(t(), 'over WhatsApp')).not.toBe(WHATSAPP_TEXTS.rateLimited);

    // The fifth, on any channel, is over the limit.
    const graphql = await sendOverGraphQL(t(), USER_ID, 'again');
    expect(graphql.code).toBe('RATE_LIMITED');
    expect(graphql.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(graphql.retryAfterSeconds).toBeLessThanOrEqual(60);
    const grpc = await sendOverGrpc(t(), USER_ID, 'again');
    expect([grpc.error?.code, grpc.code]).toEqual([8, 'RATE_LIMITED']);
    expect(Number(grpc.retryAfter)).toBeGreaterThanOrEqual(1);
    const http = await postChat(t(), USER_ID, 'again');
    expect(http.status).toBe(429);
    expect(http.body.error.code).toBe('RATE_LIMITED');
    expect(Number(http.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(await ask(t(), 'again')).toBe(WHATSAPP_TEXTS.rateLimited);

    // Nothing of the refused messages was stored or sent upstream; another user is not affected.
    expect(t().openai!.requests).toHaveLength(4);
    expect(await countRows(t(), 'chats', { user_id: USER_ID })).toBe(4);
    expect(await messagesOf(t(), USER_ID)).toBe(12);
    expect((await sendOverGraphQL(t(), 'someone-else', 'hello')).reply?.status).toBe('COMPLETE');

    const metrics = await (await fetch(`${t().httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/chatservice_limit_rejections_total\{limit="requests_per_minute"\} 4/);
  });
});

describe.each(storeEngines())('concurrent replies on %s', (engine) => {
  const t = useWhatsAppApp(engine, { env: { USER_CONCURRENT_REPLIES: '1' } });

  it('lets one reply of a user run at a time, whichever channel the next message comes from', async () => {
    let release!: () => void;
    t().openai!.reply({ pauseAfterDeltas: 1, resumeWhen: new Promise<void>((resolve) => (release = resolve)) });
    const first = sendOverGraphQL(t(), USER_ID, 'a long answer, please');
    await t().openai!.waitForRequest(0);
    await expect.poll(async () => (await budgetRow(t(), USER_ID))?.runningReplies).toBe(1);

    const grpc = await sendOverGrpc(t(), USER_ID, 'meanwhile');
    expect(grpc.code).toBe('RATE_LIMITED');
    expect(await ask(t(), 'meanwhile')).toBe(WHATSAPP_TEXTS.rateLimited);

    release();
    expect((await first).reply?.status).toBe('COMPLETE');
    expect(await budgetRow(t(), USER_ID)).toMatchObject({ runningReplies: 0 });
    expect((await sendOverGrpc(t(), USER_ID, 'now')).error).toBeUndefined();
    expect(t().openai!.requests).toHaveLength(2);
  });
});
