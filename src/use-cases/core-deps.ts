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
  Logger,
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

/** Everything the use cases need, passed in by the composition root. */
export interface CoreDeps {
  readonly chats: ChatRepository;
  readonly completions: CompletionModel;
  readonly tokens: TokenCounter;
  readonly models: ModelCatalog;
  readonly personas: PersonaCatalog;
  readonly events: ChatEventBus;
  readonly replies: ReplyRegistry;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly logger: Logger;
  readonly defaults: ChatDefaults;
}
