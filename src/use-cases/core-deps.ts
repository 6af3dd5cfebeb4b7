import type { ChatConfig } from '../domain/chat-config.js';
import type { ModelCatalog } from '../domain/models.js';
import type { PersonaCatalog } from '../domain/persona.js';
import type { ReplyRegistry } from './reply-registry.js';
import type {
  ChatEventBus,
  ChatRepository,
  Clock,
  CompletionModel,
  Ids,
  LiveReplies,
  Logger,
  ReplyStops,
  SendKeys,
  TokenCounter,
} from './ports.js';

/** What a new chat gets when the caller does not say otherwise. */
export interface ChatDefaults {
  readonly model: string;
  /** INITIAL_CHAT_MESSAGE. */
  readonly systemPrompt: string;
  /** Sampling parameters; maxTokens absent means "fit to the model" (see defaultConfigFor). */
  readonly config: Omit<ChatConfig, 'maxTokens'> & { readonly maxTokens?: number | undefined };
}

/** How this process holds the replies it produces (see ReplyLease). */
export interface ReplyTiming {
  /** This process, as the owner of its leases: random per start. */
  readonly owner: string;
  /** REPLY_LEASE_MS: how long a lease lasts without renewal. */
  readonly leaseMs: number;
  /** REPLY_CHECKPOINT_MS: how often a streaming reply's text is saved and its lease renewed. */
  readonly checkpointMs: number;
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

export const DEFAULT_REPLY_TIMING: Omit<ReplyTiming, 'owner'> = { leaseMs: 15_000, checkpointMs: 1_000 };

/** Everything the use cases need, passed in by the composition root. */
export interface CoreDeps {
  readonly chats: ChatRepository;
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
}
