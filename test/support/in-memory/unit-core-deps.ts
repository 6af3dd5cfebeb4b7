import { ModelCatalog } from '../../../src/domain/models.js';
import { BUILT_IN_PERSONAS, PersonaCatalog } from '../../../src/domain/persona.js';
import { PriceTable } from '../../../src/domain/prices.js';
import { UNLIMITED, type LimitSettings } from '../../../src/domain/user-limits.js';
import { LruContextCache } from '../../../src/infra/cache/lru-context-cache.js';
import { InProcessChatEventBus } from '../../../src/infra/events/in-process-chat-event-bus.js';
import { InProcessLiveReplies } from '../../../src/infra/events/in-process-live-replies.js';
import { InProcessReplyStops } from '../../../src/infra/events/in-process-reply-stops.js';
import { InProcessSendKeys } from '../../../src/infra/events/in-process-send-keys.js';
import { TiktokenCounter } from '../../../src/infra/tokenizer/tiktoken-counter.js';
import type { CoreDeps } from '../../../src/use-cases/core-deps.js';
import { ReplyRegistry } from '../../../src/use-cases/reply-registry.js';
import { ClockedRateLimiter } from './clocked-rate-limiter.js';
import { createInMemoryStores, type InMemoryStores } from './in-memory-stores.js';
import { ManualClock } from './manual-clock.js';
import { RecordingLogger } from './recording-logger.js';
import { RecordingMetrics } from './recording-metrics.js';
import { ScriptedCompletionModel } from './scripted-completion-model.js';
import { SequentialIds } from './sequential-ids.js';

export interface UnitCoreOptions {
  /** MODEL_MAX_TOKENS: caps every model's context window, so a few messages fill it. */
  readonly contextWindow?: number | undefined;
  /** Every user's limits (the USER_* settings); default: unlimited. */
  readonly limits?: Partial<LimitSettings> | undefined;
  /** The reply budget (max_tokens) new chats get; default: fitted to the model's window, as configured by default. */
  readonly maxTokens?: number | undefined;
  /** Another core's stores and clock: two cores over them are two processes over one database. */
  readonly shared?: Pick<UnitCore, 'stores' | 'clock'> | undefined;
}

/** One process of the service as the unit tests build it, with handles on what it talks to. */
export interface UnitCore {
  /** For createChatCore. */
  readonly deps: CoreDeps;
  /** The database: ports, and the rows themselves. */
  readonly stores: InMemoryStores;
  readonly model: ScriptedCompletionModel;
  readonly clock: ManualClock;
  readonly logger: RecordingLogger;
  readonly metrics: RecordingMetrics;
}

/** Chats start on this model unless the test says otherwise; o200k_base, like every current model. */
export const UNIT_MODEL = 'gpt-4o-mini';
export const UNIT_SYSTEM_PROMPT = 'You are a helpful assistant.';

/** Building an encoder takes most of a second: one counter (pure, its encoders cached) serves every core of a test file. */
const tokens = new TiktokenCounter();
let processes = 0;

/**
 * Everything the core needs, as buildApp (src/app.ts) assembles it, with the
 * database in memory and the outside world scripted: the real token counter,
 * context cache, event bus, live replies, stops and send keys; a model that
 * answers what the test queued; a clock that moves when told; ids in order;
 * a logger and metrics that record silently.
 */
export function unitCoreDeps(options: UnitCoreOptions = {}): UnitCore {
  const clock = options.shared?.clock ?? new ManualClock();
  const stores = options.shared?.stores ?? createInMemoryStores(clock);
  const model = new ScriptedCompletionModel();
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  processes += 1;
  const deps: CoreDeps = {
    chats: stores.chats,
    contexts: new LruContextCache(),
    completions: model,
    tokens,
    models: new ModelCatalog({ contextWindowOverride: options.contextWindow, unknownModelWindow: options.contextWindow ?? 8_192 }),
    personas: new PersonaCatalog(BUILT_IN_PERSONAS),
    events: new InProcessChatEventBus(),
    replies: new ReplyRegistry(),
    live: new InProcessLiveReplies(),
    stops: new InProcessReplyStops(),
    sendKeys: new InProcessSendKeys(clock),
    // Deltas go out as they come (no coalescing), so a test sees each scripted piece.
    replyTiming: { owner: `unit-process-${processes}`, leaseMs: 15_000, checkpointMs: 1_000, coalesceMs: 0 },
    clock,
    ids: new SequentialIds(),
    logger,
    defaults: {
      model: UNIT_MODEL,
      systemPrompt: UNIT_SYSTEM_PROMPT,
      config: {
        temperature: 1,
        topP: 1,
        maxTokens: options.maxTokens,
        stop: [],
        presencePenalty: 0,
        frequencyPenalty: 0,
        contextStrategy: 'TRUNCATE',
      },
    },
    summaries: { maxTokens: 512, timeoutMs: 20_000 },
    usage: {
      prices: PriceTable.builtIn(),
      defaults: { ...UNLIMITED, ...options.limits },
      limits: stores.limits,
      budgets: stores.budgets,
      ledger: stores.ledger,
      rateLimiter: new ClockedRateLimiter(clock),
    },
    metrics,
    search: stores.search,
    archive: stores.archive,
  };
  return { deps, stores, model, clock, logger, metrics };
}
