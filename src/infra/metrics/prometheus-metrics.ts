import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestMetrics } from '../../channels/request-metrics.js';
import { microsToUsd, type Channel, type UsageRecord } from '../../domain/usage.js';
import type { LimitName } from '../../domain/user-limits.js';
import { EventFeed } from '../events/event-feed.js';
import type { ChatEventBus, Metrics, ReplyMeter } from '../../use-cases/ports.js';
import { ModelLabels } from './model-labels.js';

const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const DURATION_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/**
 * The service's Prometheus metrics, in a registry of its own (never the
 * global one, so two apps in one process, as in tests, do not collide).
 * Labels are bounded sets: channel, model family, status, kind, limit,
 * operation type, gRPC method and code; the histograms have none (each
 * label value would multiply their buckets). Per-user figures live in the
 * usage ledger, not here.
 */
export class PrometheusMetrics implements Metrics, RequestMetrics {
  readonly registry = new Registry();
  private readonly models: ModelLabels;
  private readonly ttft: Histogram;
  private readonly duration: Histogram;
  private readonly replies: Counter<'channel' | 'model' | 'status'>;
  private readonly tokens: Counter<'model' | 'kind'>;
  private readonly cost: Counter<'model'>;
  private readonly rejections: Counter<'limit'>;
  private readonly activeReplies: Gauge;
  private readonly subscriptions: Gauge;
  private readonly graphqlOperations: Counter<'operation' | 'outcome'>;
  private readonly grpcCalls: Counter<'method' | 'code'>;

  constructor(options: { readonly modelNames?: Iterable<string> } = {}) {
    this.models = new ModelLabels(options.modelNames);
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.ttft = new Histogram({
      name: 'chatservice_reply_ttft_seconds',
      help: 'Time from the start of a reply to its first token from the upstream, every channel and model.',
      buckets: TTFT_BUCKETS,
      registers,
    });
    this.duration = new Histogram({
      name: 'chatservice_reply_duration_seconds',
      help: 'Time from the start of a reply to its stored ending, every channel and model.',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.replies = new Counter({
      name: 'chatservice_replies_total',
      help: 'Replies ended, by how they were stored (complete, incomplete, failed; unstored when the store was unreachable).',
      labelNames: ['channel', 'model', 'status'],
      registers,
    });
    this.tokens = new Counter({
      name: 'chatservice_tokens_total',
      help: 'Tokens of upstream calls (replies and summaries), as the ledger recorded them; cached_prompt is part of prompt, reasoning part of completion.',
      labelNames: ['model', 'kind'],
      registers,
    });
    this.cost = new Counter({
      name: 'chatservice_cost_usd_total',
      help: 'What upstream calls cost, in USD, at the prices in force (MODEL_PRICES_FILE over the built-in table).',
      labelNames: ['model'],
      registers,
    });
    this.rejections = new Counter({
      name: 'chatservice_limit_rejections_total',
      help: 'Messages refused by a per-user limit before anything was stored or sent upstream.',
      labelNames: ['limit'],
      registers,
    });
    this.activeReplies = new Gauge({ name: 'chatservice_active_replies', help: 'Replies this process is producing now.', registers });
    this.subscriptions = new Gauge({
      name: 'chatservice_subscriptions',
      help: 'Open event subscriptions: every reply stream, chatEvents/replyEvents subscription, WatchReply, and POST /chat or WhatsApp answer in progress holds one.',
      registers,
    });
    this.graphqlOperations = new Counter({
      name: 'chatservice_graphql_requests_total',
      help: 'GraphQL operations executed, by type and whether they ended with errors.',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.grpcCalls = new Counter({
      name: 'chatservice_grpc_requests_total',
      help: 'gRPC calls handled, by method and status.',
      labelNames: ['method', 'code'],
      registers,
    });
    for (const limit of ['requests_per_minute', 'daily_tokens', 'monthly_budget', 'concurrent_replies'] satisfies LimitName[]) {
      this.rejections.inc({ limit }, 0);
    }
  }

  replyStarted(channel: Channel, model: string): ReplyMeter {
    const labels = { channel, model: this.models.of(model) };
    const started = performance.now();
    let firstTokenSeen = false;
    this.activeReplies.inc();
    return {
      firstToken: () => {
        if (firstTokenSeen) return;
        firstTokenSeen = true;
        this.ttft.observe((performance.now() - started) / 1000);
      },
      ended: (status) => {
        this.activeReplies.dec();
        this.duration.observe((performance.now() - started) / 1000);
        this.replies.inc({ ...labels, status: status.toLowerCase() });
      },
    };
  }

  usageRecorded(record: UsageRecord): void {
    const model = this.models.of(record.model);
    const { counts } = record;
    this.tokens.inc({ model, kind: 'prompt' }, counts.promptTokens);
    this.tokens.inc({ model, kind: 'cached_prompt' }, counts.cachedPromptTokens);
    this.tokens.inc({ model, kind: 'completion' }, counts.completionTokens);
    if (counts.reasoningTokens !== null) this.tokens.inc({ model, kind: 'reasoning' }, counts.reasoningTokens);
    this.cost.inc({ model }, microsToUsd(record.costMicros));
  }

  limitRejected(limit: LimitName): void {
    this.rejections.inc({ limit });
  }

  graphqlOperation(operation: 'query' | 'mutation' | 'subscription', outcome: 'ok' | 'error'): void {
    this.graphqlOperations.inc({ operation, outcome });
  }

  grpcCall(method: string, code: string): void {
    this.grpcCalls.inc({ method, code });
  }

  /**
   * The bus, with its subscriptions counted: one increment when a feed
   * opens, one decrement when it closes (EventFeed.onClose), and nothing
   * per event.
   */
  countSubscriptions(bus: ChatEventBus): ChatEventBus {
    return {
      publish: (event) => bus.publish(event),
      subscribe: async (chatId, signal) => {
        const feed = await bus.subscribe(chatId, signal);
        if (feed instanceof EventFeed) {
          this.subscriptions.inc();
          feed.onClose(() => this.subscriptions.dec());
        }
        return feed;
      },
    };
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
