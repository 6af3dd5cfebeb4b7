import { describe, expect, it } from 'vitest';
import { storeEngines } from '../support/stores.js';
import { useWhatsAppApp, type WhatsAppTestApp } from '../whatsapp/whatsapp-test-app.js';

async function ask(app: WhatsAppTestApp, body: string): Promise<string> {
  const before = app.twilio.messages.length;
  expect((await app.say(body)).status).toBe(200);
  return (await app.twilio.waitForMessages(before + 1)).at(-1)!.body;
}

describe.each(storeEngines())('WhatsApp /usage on %s', (engine) => {
  const t = useWhatsAppApp(engine, { env: { USER_DAILY_TOKENS: '100000', USER_MONTHLY_BUDGET_USD: '5', USER_REQUESTS_PER_MINUTE: '30' } });

  it('shows what is used and left today and this month, without calling the model', async () => {
    t().openai!.reply({ text: 'Hi!', usage: { prompt_tokens: 1_000, completion_tokens: 234 } });
    await ask(t(), 'Hello');
    const requests = t().openai!.requests.length;

    const answer = await ask(t(), '/usage');
    expect(answer).toContain('Today: 1,234 of 100,000 tokens (98,766 left); renews at midnight UTC.');
    // 1,000 × $0.15/M + 234 × $0.60/M = $0.0002904.
    expect(answer).toMatch(/This month: \$0\.0003 of \$5\.00 \(\$5\.00 left\); renews on 1 \w+\./);
    expect(answer).toContain('at most 30 messages a minute');
    expect(t().openai!.requests).toHaveLength(requests);
    expect(await ask(t(), '/help')).toContain('/usage');
  });
});

describe('WhatsApp /usage without limits', () => {
  const t = useWhatsAppApp('sqlite');

  it('says there is no limit', async () => {
    const answer = await ask(t(), '/USAGE');
    expect(answer).toBe(['Your usage:', '• Today: 0 tokens (no daily limit).', '• This month: $0.00 (no monthly budget).'].join('\n'));
  });
});
