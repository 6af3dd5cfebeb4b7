import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';
import { ModelCatalog } from './domain/models.js';
import { PersonaCatalog } from './domain/persona.js';
import { Authenticator } from './channels/auth/authenticator.js';
import { registerHealthRoutes } from './channels/http/health-routes.js';
import { createHttpServer } from './channels/http/http-server.js';
import { registerGraphQLChannel } from './channels/graphql/graphql-channel.js';
import { registerExportRoutes } from './channels/http/export-routes.js';
import { registerWebRoutes } from './channels/web/web-routes.js';
import { registerLegacyChatRoute } from './channels/http/legacy-chat-route.js';
import { createWhatsAppChannel, type WhatsAppTuning } from './channels/whatsapp/whatsapp-channel.js';
import { registerWhatsAppWebhookRoute } from './channels/whatsapp/whatsapp-webhook-route.js';
import { createGrpcServer } from './channels/grpc/grpc-server.js';
import { createKnex } from './infra/db/create-knex.js';
import { KnexChatArchive } from './infra/db/knex-chat-archive.js';
import { KnexChatRepository } from './infra/db/knex-chat-repository.js';
import { KnexMessageSearch } from './infra/db/knex-message-search.js';
import { KnexWhatsAppConversations } from './infra/db/knex-whatsapp-conversations.js';
import { migrateToLatest } from './infra/db/migrate.js';
import { withStoreDeadline } from './infra/db/store-guard.js';
import { InProcessChatEventBus } from './infra/events/in-process-chat-event-bus.js';
import { InProcessLiveReplies } from './infra/events/in-process-live-replies.js';
import { InProcessReplyStops } from './infra/events/in-process-reply-stops.js';
import { LruContextCache } from './infra/cache/lru-context-cache.js';
import { InProcessSendKeys } from './infra/events/in-process-send-keys.js';
import { RedisChatEventBus } from './infra/redis/redis-chat-event-bus.js';
import { connectRedis, type RedisConnections } from './infra/redis/redis-connections.js';
import { RedisLiveReplies } from './infra/redis/redis-live-replies.js';
import { RedisReplyStops } from './infra/redis/redis-reply-stops.js';
import { RedisSendKeys } from './infra/redis/redis-send-keys.js';
import { createLogger } from './infra/logging/logger.js';
import { OfflineCompletionModel } from './infra/openai/offline-completion-model.js';
import { OpenAICompletionModel } from './infra/openai/openai-completion-model.js';
import { loadPersonas } from './infra/personas/load-personas.js';
import { randomIds, systemClock } from './infra/system.js';
import { TiktokenCounter } from './infra/tokenizer/tiktoken-counter.js';
import { TwilioMessageClient } from './infra/twilio/twilio-message-client.js';
import { createChatCore, type ChatCore } from './use-cases/chat-core.js';
import type { CoreDeps } from './use-cases/core-deps.js';
import type { ChatEventBus, Clock, CompletionModel, Ids, LiveReplies, Logger, ReplyStops, SendKeys, TokenCounter } from './use-cases/ports.js';
import { recoverAbandonedReplies } from './use-cases/recover-replies.js';
import { settleOrphanedClaims } from './use-cases/settle-usage.js';
import { registerMetricsRoute } from './channels/http/metrics-route.js';
import { KnexBudgets } from './infra/db/knex-budgets.js';
import { KnexUsageLedger } from './infra/db/knex-usage-ledger.js';
import { KnexUserLimits } from './infra/db/knex-user-limits.js';
import { FlexibleRateLimiter } from './infra/limits/flexible-rate-limiter.js';
import { CachedUserLimits } from './infra/limits/cached-user-limits.js';
import { PrometheusMetrics } from './infra/metrics/prometheus-metrics.js';
import { loadPriceTable } from './infra/prices/load-price-table.js';
import { ReplyRegistry } from './use-cases/reply-registry.js';

/** Replacements for tests and benchmarks; everything else is built from the config. */
export interface AppOverrides {
  readonly logger?: PinoLogger;
  readonly completions?: CompletionModel;
  readonly tokens?: TokenCounter;
  readonly clock?: Clock;
  readonly ids?: Ids;
  readonly events?: ChatEventBus;
  readonly knex?: Knex;
  /** How long stop() lets running replies finish before storing them INCOMPLETE; default SHUTDOWN_GRACE_MS. */
  readonly shutdownGraceMs?: number;
  readonly whatsapp?: WhatsAppTuning;
}

export interface App {
  readonly core: ChatCore;
  readonly knex: Knex;
  readonly logger: PinoLogger;
  /** Migrates the store and starts listening; ports 0 pick free ports. */
  start(): Promise<{ httpUrl: string; grpcPort: number }>;
  /** Stops taking requests, lets running replies finish (bounded), stores the rest INCOMPLETE, closes the store. */
  stop(): Promise<void>;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const knex = overrides.knex ?? createKnex(config.databaseUrl, { timeoutMs: config.storeTimeoutMs });
  const chats = withStoreDeadline(await KnexChatRepository.create({ knex, configDefaults: { contextStrategy: config.chat.contextStrategy } }), config.storeTimeoutMs);
  const tokens = overrides.tokens ?? new TiktokenCounter();
  const clock = overrides.clock ?? systemClock;
  const redis = config.redisUrl === undefined ? undefined : connectRedis(config.redisUrl, logger);
  const shared = redis === undefined ? inProcessSharing(clock) : redisSharing(redis, logger);
  /** Ready when the store (and Redis, when replicas share it) answers. */
  const checkReady = async () => {
    await Promise.all([chats.checkReady(), redis?.ping()]);
  };
  const models = new ModelCatalog({
    contextWindowOverride: config.chat.contextWindow,
    unknownModelWindow: config.chat.unknownModelWindow,
  });
  const prices = await loadPriceTable(config.usage.pricesFile);
  const metrics = new PrometheusMetrics({ modelNames: [...prices.names(), config.chat.model] });
  const deps: CoreDeps = {
    chats,
    contexts: new LruContextCache(),
    tokens,
    models,
    completions: overrides.completions ?? completionModelFor(config, tokens),
    personas: new PersonaCatalog(await loadPersonas(config.chat.personasFile)),
    events: metrics.countSubscriptions(overrides.events ?? shared.events),
    replies: new ReplyRegistry(),
    live: shared.live,
    stops: shared.stops,
    sendKeys: shared.sendKeys,
    replyTiming: { owner: randomUUID(), ...config.replies },
    clock,
    ids: overrides.ids ?? randomIds,
    logger,
    defaults: {
      model: config.chat.model,
      systemPrompt: config.chat.systemPrompt,
      config: {
        temperature: config.chat.temperature,
        topP: config.chat.topP,
        maxTokens: config.chat.maxTokens,
        stop: config.chat.stop,
        presencePenalty: config.chat.presencePenalty,
        frequencyPenalty: config.chat.frequencyPenalty,
        contextStrategy: config.chat.contextStrategy,
      },
    },
    summaries: config.summaries,
    search: withStoreDeadline(new KnexMessageSearch(knex, { contextStrategy: config.chat.contextStrategy }), config.storeTimeoutMs),
    archive: withStoreDeadline(new KnexChatArchive(knex, { contextStrategy: config.chat.contextStrategy }), config.storeTimeoutMs),
    usage: {
      prices,
      defaults: config.usage.defaults,
      limits: new CachedUserLimits(withStoreDeadline(new KnexUserLimits(knex), config.storeTimeoutMs)),
      budgets: withStoreDeadline(new KnexBudgets(knex, clock), config.storeTimeoutMs),
      ledger: withStoreDeadline(new KnexUsageLedger(knex), config.storeTimeoutMs),
      // Per process, or shared by every replica through Redis.
      rateLimiter: redis === undefined ? FlexibleRateLimiter.inMemory() : FlexibleRateLimiter.onRedis(redis.commands),
    },
    metrics,
  };
  const core = createChatCore(deps);
  const auth = new Authenticator(config.auth);

  const http = await createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes });
  registerHealthRoutes(http, { checkReady });
  registerMetricsRoute(http, { metrics, token: config.usage.metricsToken });
  // A stop asked on another replica reaches the one producing the reply.
  shared.stops.onStopRequest((messageId) => void deps.replies.stop(messageId));
  const recovery = new RecoverySweeps(deps);
  registerLegacyChatRoute(http, { core, auth });
  registerExportRoutes(http, { core, auth });
  registerWebRoutes(http);
  await registerGraphQLChannel(http, {
    core,
    auth,
    logger,
    production: config.env === 'production',
    bodyLimitBytes: config.bodyLimitBytes,
    requestMetrics: metrics,
  });
  const twilio = config.twilio;
  const whatsapp = createWhatsAppChannel({
    twilio: twilio && {
      ...twilio,
      messages: TwilioMessageClient.create({ ...twilio, logger, retry: overrides.whatsapp?.sendRetry }),
    },
    publicBaseUrl: config.publicBaseUrl,
    core,
    conversations: withStoreDeadline(await KnexWhatsAppConversations.create({ knex }), config.storeTimeoutMs),
    clock: deps.clock,
    logger,
    shutdownFlushMs: overrides.whatsapp?.shutdownFlushMs,
  });
  registerWhatsAppWebhookRoute(http, whatsapp);
  const grpc = createGrpcServer({ core, auth, logger, checkReady, requestMetrics: metrics });

  return {
    core,
    knex,
    logger,
    async start() {
      const applied = await migrateToLatest(knex, { logger, tokens, models, systemPrompt: config.chat.systemPrompt, clock: deps.clock });
      if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
      await redis?.ready(REDIS_START_WAIT_MS);
      // Only replies whose lease expired: a live process beside this one keeps its own.
      await recoverAbandonedReplies(deps);
      recovery.start();
      warnAboutModel(deps, logger);
      // Building an encoder takes up to a second: pay it now, not on the first request.
      if (tokens instanceof TiktokenCounter) tokens.preload();
      await http.listen({ host: config.host, port: config.httpPort });
      const { port } = http.server.address() as AddressInfo;
      const httpUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
      const grpcPort = await grpc.start(config.host, config.grpcPort);
      logger.info({ httpUrl, grpcPort, model: config.chat.model, upstream: deps.completions.description }, 'chatservice started');
      return { httpUrl, grpcPort };
    },
    async stop() {
      const graceMs = overrides.shutdownGraceMs ?? config.shutdownGraceMs;
      recovery.stop();
      grpc.reportNotServing();
      // New replies are refused from here on; running ones finish or are stored INCOMPLETE,
      // and their streams get their last event while every server is still open.
      await deps.replies.drain(graceMs);
      // Then the servers close: what is still open (feeds of chats, watchers) ends with UNAVAILABLE.
      await Promise.all([http.close(), grpc.stop(STREAM_FLUSH_MS)]);
      // WhatsApp answers may still be on their way to Twilio.
      await whatsapp.flush();
      await knex.destroy();
      await redis?.close();
    },
  };
}

/** What replicas share: in this process alone, or through Redis. */
interface Sharing {
  readonly events: ChatEventBus;
  readonly live: LiveReplies;
  readonly stops: ReplyStops;
  readonly sendKeys: SendKeys;
}

function inProcessSharing(clock: Clock): Sharing {
  return {
    events: new InProcessChatEventBus(),
    live: new InProcessLiveReplies(),
    stops: new InProcessReplyStops(),
    sendKeys: new InProcessSendKeys(clock),
  };
}

function redisSharing(redis: RedisConnections, logger: Logger): Sharing {
  return {
    events: new RedisChatEventBus(redis.commands, redis.subscriber, logger),
    live: new RedisLiveReplies(redis.commands, logger),
    stops: RedisReplyStops.create(redis.commands, redis.subscriber, logger),
    sendKeys: new RedisSendKeys(redis.commands),
  };
}

/** How long a start waits for Redis before it serves anyway (and reports not ready). */
const REDIS_START_WAIT_MS = 5_000;

/** How long servers wait, at shutdown, for streams to flush their last events. */
const STREAM_FLUSH_MS = 2_000;

/**
 * Recovers replies whose producer is gone, every half lease, so no row
 * stays STREAMING after its lease expired, even with no restart. A sweep
 * that fails (store down) is logged and tried again next time.
 */
class RecoverySweeps {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly deps: CoreDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), Math.max(500, this.deps.replyTiming.leaseMs / 2));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await recoverAbandonedReplies(this.deps);
      await settleOrphanedClaims(this.deps);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'recovering abandoned replies failed; will retry');
    } finally {
      this.running = false;
    }
  }
}

function completionModelFor(config: Config, tokens: TokenCounter): CompletionModel {
  const { apiKey, baseUrl, timeoutMs, maxRetries } = config.openai;
  if (apiKey === undefined && baseUrl === undefined) return new OfflineCompletionModel({ tokens });
  return new OpenAICompletionModel({ apiKey, baseURL: baseUrl, timeoutMs, maxRetries });
}

function warnAboutModel(deps: CoreDeps, logger: PinoLogger): void {
  const { model } = deps.defaults;
  if (!deps.models.resolve(model).known) {
    logger.warn({ model, window: deps.models.resolve(model).spec.contextWindow }, 'unknown model: counting tokens with o200k_base and the configured window');
  }
  if (deps.completions instanceof OfflineCompletionModel) {
    logger.warn({}, 'NO MODEL CONFIGURED: replies come from the offline stand-in. Set OPENAI_API_KEY (or OPENAI_BASE_URL) for real replies.');
  }
}
