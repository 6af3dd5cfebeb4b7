import type { ModelCatalog } from '../domain/models.js';
import type { PersonaCatalog } from '../domain/persona.js';
import type { PriceTable } from '../domain/prices.js';
import type { ChatDefaults } from '../domain/start-chat.js';
import type { LimitSettings } from '../domain/user-limits.js';
import type { ReplyRegistry } from './reply-registry.js';
import type {
  ChatArchive,
  Budgets,
  ChatEventBus,
  ChatRepository,
  ContextCache,
  Clock,
  CompletionModel,
  Ids,
  LiveReplies,
  Logger,
  Metrics,
  RequestRateLimiter,
  ReplyStops,
  SendKeys,
  MessageSearch,
  TokenCounter,
  UsageLedger,
  UserLimitsStore,
} from './ports.js';

/** How this process holds the replies it produces (see ReplyLease). */
export interface ReplyTiming {
  /** This process, as the owner of its leases: random per start. */
  readonly owner: string;
  /** REPLY_LEASE_MS: how long a lease lasts without renewal. */
  readonly leaseMs: number;
  /** REPLY_CHECKPOINT_MS: how often a streaming reply's text is saved and its lease renewed. */
  readonly checkpointMs: number;
  /**
   * REPLY_COALESCE_MS: after a delta is sent to a subscriber, later ones are
   * held this long and sent as one (0: each as it comes). The first delta
   * and the ending are never held.
   */
  readonly coalesceMs: number;
}

/** How the running summaries of SUMMARIZE chats are made (see fold-summary.ts). */
export interface SummarySettings {
  /** SUMMARY_MODEL; absent: the chat's own model. */
  readonly model?: string | undefined;
  /** SUMMARY_MAX_TOKENS: the most tokens one summary may have. */
  readonly maxTokens: number;
  /** How long a turn waits for its summary before going on without it. */
  readonly timeoutMs: number;
}

export const DEFAULT_SUMMARY_SETTINGS: SummarySettings = { maxTokens: 512, timeoutMs: 20_000 };

export const DEFAULT_REPLY_TIMING: Omit<ReplyTiming, 'owner'> = { leaseMs: 15_000, checkpointMs: 1_000, coalesceMs: 16 };

/** Prices, limits and the stores that account for usage (see admit-turn.ts and settle-usage.ts). */
export interface UsageDeps {
  readonly prices: PriceTable;
  /** USER_* settings: every user's limits unless they have overrides. */
  readonly defaults: LimitSettings;
  readonly limits: UserLimitsStore;
  readonly budgets: Budgets;
  readonly ledger: UsageLedger;
  readonly rateLimiter: RequestRateLimiter;
}

/** Everything the use cases need, passed in by the composition root. */
export interface CoreDeps {
  readonly chats: ChatRepository;
  readonly contexts: ContextCache;
  readonly completions: CompletionModel;
  readonly tokens: TokenCounter;
  readonly models: ModelCatalog;
  readonly personas: PersonaCatalog;
  readonly events: ChatEventBus;
  readonly replies: ReplyRegistry;
  readonly live: LiveReplies;
  readonly stops: ReplyStops;
  readonly sendKeys: SendKeys;
  readonly replyTiming: ReplyTiming;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly logger: Logger;
  readonly defaults: ChatDefaults;
  readonly summaries: SummarySettings;
  readonly usage: UsageDeps;
  readonly metrics: Metrics;
  /** Query.search: the full-text index of messages. */
  readonly search: MessageSearch;
  /** Exports: a user's chats in a stable order. */
  readonly archive: ChatArchive;
}
