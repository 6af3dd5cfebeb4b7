import { afterEach, describe, expect, it } from 'vitest';
import { WHATSAPP_TEXTS } from '../../src/channels/whatsapp/texts/whatsapp-texts.js';
import { storeEngines } from '../support/stores.js';
import { EMPTY_TWIML, USER_ID, startWhatsAppApp, type WhatsAppTestApp } from './whatsapp-test-app.js';

const SLOW_UPSTREAM_MS = 20_000;

describe.each(storeEngines())('WhatsApp answers in the background, on %s', (engine) => {
  let t: WhatsAppTestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('answers Twilio with empty TwiML in under a second while the upstream takes 20 s', async () => {
    // A short shutdown grace: stopping the app cuts the slow reply instead of waiting 20 s for it.
    t = await startWhatsAppApp(engine, { overrides: { shutdownGraceMs: 50 } });
    t.openai!.reply({ firstChunkDelayMs: SLOW_UPSTREAM_MS, text: 'Too late.' });

    const started = Date.now();
    const response = await t.say('Take your time');
    const elapsed = Date.now() - started;

    expect(response.status).toBe(200);
    expect(response.body).toBe(EMPTY_TWIML);
    expect(elapsed).toBeLessThan(1_000);
    await t.openai!.waitForRequest(0);
    expect(t.twilio.messages).toHaveLength(0);
  });

  it('sends the reply through the REST API once a slow upstream answers, addressed to the sender', async () => {
    t = await startWhatsAppApp(engine);
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    t.openai!.reply(async () => {
      await answered;
      return { text: 'Worth the wait.' };
    });

    const response = await t.say('Slow question');
    expect(response.status).toBe(200);
    await t.openai!.waitForRequest(0);
    expect(t.twilio.messages).toHaveLength(0);
    answer();

    const [sent] = await t.twilio.waitForMessages(1);
    expect(sent).toMatchObject({ to: USER_ID, body: 'Worth the wait.' });
  });

  it('does not lose an answer on shutdown: stop() waits until the reply is produced and sent', async () => {
    t = await startWhatsAppApp(engine, { overrides: { shutdownGraceMs: 5_000 } });
    t.openai!.reply({ text: 'Sent before the store closed.', firstChunkDelayMs: 300 });
    await t.say('Answer me, then stop');
    await t.openai!.waitForRequest(0);

    await t.app.stop();
    expect(t.twilio.messages.map((m) => m.body)).toEqual(['Sent before the store closed.']);
    const stopped = t;
    t = undefined;
    await stopped.twilio.close();
    await stopped.store.close();
    await stopped.openai!.close();
  });

  it('on shutdown past the grace period, stores the cut reply and tells the user instead of going silent', async () => {
    t = await startWhatsAppApp(engine, { overrides: { shutdownGraceMs: 50 } });
    t.openai!.reply({ firstChunkDelayMs: SLOW_UPSTREAM_MS, text: 'Never sent.' });
    await t.say('A question just before a deploy');
    await t.openai!.waitForRequest(0);

    const started = Date.now();
    await t.app.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(t.twilio.messages.map((m) => m.body)).toEqual([WHATSAPP_TEXTS.stopped]);
    const replies = await t.store.knex('messages').where({ role: 'ASSISTANT' }).select('status', 'finish_reason');
    expect(replies).toEqual([{ status: 'INCOMPLETE', finish_reason: 'stopped' }]);
    const stopped = t;
    t = undefined;
    await stopped.twilio.close();
    await stopped.store.close();
    await stopped.openai!.close();
  });
});
