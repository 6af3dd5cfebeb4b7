import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRICES } from '../../src/domain/prices.js';
import { executeRaw } from '../graphql/graphql-clients.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { sendOverGraphQL, sendOverGrpc, SEND_MESSAGE } from './usage-test-kit.js';

const METRICS_TOKEN = 'a-metrics-token-for-tests';
const USER = 'metrics-user-7f3a';
const MINI = BUILT_IN_PRICES['gpt-4o-mini']!;

async function scrape(app: TestApp): Promise<Map<string, ParsedFamily>> {
  const response = await fetch(`${app.httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  // Per-user figures live in the ledger: no user id ever becomes a label.
  expect(text).not.toContain(USER);
  return new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
}

const matches = (sample: ParsedSample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v);

/** The value (or, for a histogram, the count) of the sample of `name` with `labels`; 0 when it has none yet. */
function valueOf(metrics: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number {
  const family = metrics.get(name);
  if (family === undefined) throw new Error(`no metric ${name}`);
  const sample = family.metrics.find((s) => matches(s, labels));
  return Number(sample?.count ?? sample?.value ?? 0);
}

describe('GET /metrics', () => {
  const t = useTestApp('sqlite', { env: { METRICS_TOKEN } });

  it('needs the METRICS_TOKEN when one is set', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', METRICS_TOKEN.slice(1)]) {
      const response = await fetch(`${t().httpUrl}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    }
  });

  it('parses as the Prometheus text format, with the service\'s metrics and the process defaults', async () => {
    const metrics = await scrape(t());
    for (const name of [
      'chatservice_reply_ttft_seconds',
      'chatservice_reply_duration_seconds',
      'chatservice_replies_total',
      'chatservice_tokens_total',
      'chatservice_cost_usd_total',
      'chatservice_limit_rejections_total',
      'chatservice_active_replies',
      'chatservice_subscriptions',
      'chatservice_graphql_requests_total',
      'chatservice_grpc_requests_total',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(metrics.has(name), name).toBe(true);
    }
    expect(metrics.get('chatservice_reply_ttft_seconds')!.type).toBe('HISTOGRAM');
    expect(metrics.get('chatservice_replies_total')!.type).toBe('COUNTER');
    expect(metrics.get('chatservice_active_replies')!.type).toBe('GAUGE');
  });

  it('moves as turns happen, labelled by channel, model family and status', async () => {
    const before = await scrape(t());
    t().openai!.reply({ text: 'One.', usage: { prompt_tokens: 1_000, completion_tokens: 100, cached_tokens: 200 } }, { text: 'Two.' });
    expect((await sendOverGraphQL(t(), USER, 'first')).reply?.status).toBe('COMPLETE');
    expect((await sendOverGrpc(t(), USER, 'second')).error).toBeUndefined();
    const after = await scrape(t());
    const moved = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);

    const mini = { model: 'gpt-4o-mini' };
    expect(moved('chatservice_replies_total', { channel: 'graphql', ...mini, status: 'complete' })).toBe(1);
    expect(moved('chatservice_replies_total', { channel: 'grpc', ...mini, status: 'complete' })).toBe(1);
    expect(moved('chatservice_reply_ttft_seconds')).toBe(2);
    expect(moved('chatservice_reply_duration_seconds')).toBe(2);
    expect(moved('chatservice_tokens_total', { ...mini, kind: 'prompt' })).toBeGreaterThan(1_000);
    expect(moved('chatservice_tokens_total', { ...mini, kind: 'cached_prompt' })).toBe(200);
    expect(moved('chatservice_cost_usd_total', mini)).toBeGreaterThanOrEqual((800 * MINI.inputPerMTok + 200 * MINI.cachedInputPerMTok + 100 * MINI.outputPerMTok) / 1e6);
    expect(moved('chatservice_graphql_requests_total', { operation: 'mutation', outcome: 'ok' })).toBe(1);
    expect(moved('chatservice_grpc_requests_total', { method: '/chatservice.v1.ChatService/SendMessage', code: 'OK' })).toBe(1);
    expect(valueOf(after, 'chatservice_active_replies')).toBe(0);
  });

  it('counts a dated snapshot as its family, and replies and subscriptions while they run', async () => {
    let release!: () => void;
    t().openai!.reply({ pauseAfterDeltas: 1, resumeWhen: new Promise<void>((resolve) => (release = resolve)) });
    const before = await scrape(t());
    const sending = executeRaw(t(), SEND_MESSAGE, { input: { content: 'dated', model: 'gpt-4o-mini-2024-07-18' } }, { userId: USER });
    await t().openai!.waitForRequest(0);
    await expect.poll(async () => valueOf(await scrape(t()), 'chatservice_active_replies')).toBe(1);
    // The mutation waits for its reply through a subscription of the chat's events.
    expect(valueOf(await scrape(t()), 'chatservice_subscriptions')).toBeGreaterThanOrEqual(1);
    release();
    expect((await sending).errors).toBeUndefined();

    const after = await scrape(t());
    expect(valueOf(after, 'chatservice_replies_total', { model: 'gpt-4o-mini', channel: 'graphql', status: 'complete' })).toBe(
      valueOf(before, 'chatservice_replies_total', { model: 'gpt-4o-mini', channel: 'graphql', status: 'complete' }) + 1,
    );
    expect(after.get('chatservice_replies_total')!.metrics.some((s) => s.labels?.model === 'gpt-4o-mini-2024-07-18')).toBe(false);
    await expect.poll(async () => valueOf(await scrape(t()), 'chatservice_subscriptions')).toBe(0);
    expect(valueOf(after, 'chatservice_active_replies')).toBe(0);
  });
});
