import { normalizeTitle, titleFromFirstMessage, validateUserId, type Chat } from './chat.js';
import { mergeChatConfig, type ChatConfigPatch } from './chat-config.js';
import { invalidInput } from './errors.js';
import { newMessage, type Message } from './message.js';
import { MODEL_NAME_PATTERN, type Encoding, type ModelCatalog, type ModelSpec } from './models.js';
import type { PersonaCatalog } from './persona.js';
import { assertReplyBudgetFits, configForModel, type ChatConfigDefaults } from './reply-budget.js';

/** What a caller may choose when a chat starts; model and prompt are fixed from then on. */
export interface NewChatRequest {
  readonly userId: string;
  readonly title?: string | undefined;
  readonly model?: string | undefined;
  readonly personaId?: string | undefined;
  /** A chat's own system prompt, instead of a persona's. */
  readonly systemPrompt?: string | undefined;
  readonly config?: ChatConfigPatch | undefined;
}

/** What a new chat gets when the caller does not say otherwise. */
export interface ChatDefaults {
  readonly model: string;
  /** INITIAL_CHAT_MESSAGE. */
  readonly systemPrompt: string;
  readonly config: ChatConfigDefaults;
}

/** The catalogs and defaults a new chat is chosen from. */
export interface ChatChoices {
  readonly models: ModelCatalog;
  readonly personas: PersonaCatalog;
  readonly defaults: ChatDefaults;
}

/** Identity and time of the records a new chat creates, decided by the caller. */
export interface NewChatStamp {
  readonly chatId: string;
  readonly systemMessageId: string;
  readonly at: Date;
  /** The first message, when the chat starts with one: it names the chat unless a title is given. */
  readonly firstMessage?: string | undefined;
}

/** Counts a text's tokens in an encoding. */
export type EncodingTokenCount = (text: string, encoding: Encoding) => number;

export interface NewChat {
  readonly chat: Chat;
  readonly systemMessage: Message;
  readonly model: ModelSpec;
}

export const MAX_SYSTEM_PROMPT_LENGTH = 32_000;

/**
 * A validated chat and its system message, not yet stored: a chat started
 * by its first message is stored with that turn, in one transaction, so a
 * refused first message leaves no empty chat behind.
 */
export function startChat(request: NewChatRequest, choices: ChatChoices, stamp: NewChatStamp, count: EncodingTokenCount): NewChat {
  const userId = validateUserId(request.userId);
  const model = selectableModel(choices, request.model);
  const systemPrompt = chooseSystemPrompt(choices, request);
  const config = mergeChatConfig(configForModel(choices.defaults.config, model), request.config);
  assertReplyBudgetFits(config, model);

  const { chatId, at } = stamp;
  const chat: Chat = {
    id: chatId,
    userId,
    title: chooseTitle(request.title, stamp.firstMessage),
    status: 'ACTIVE',
    model: model.name,
    personaId: request.personaId ?? null,
    systemPrompt,
    config,
    createdAt: at,
    updatedAt: at,
  };
  const systemMessage = newMessage(
    { id: stamp.systemMessageId, chatId, seq: 0, role: 'SYSTEM', content: systemPrompt, model: model.name, at },
    (text) => count(text, model.encoding),
  );
  return { chat, systemMessage, model };
}

/**
 * Callers may pick any known model family (dated snapshots included) or the
 * configured default. The default may be a name we do not know (a local
 * OpenAI-compatible server's model): it then runs on fallback token rules.
 */
export function selectableModel(choices: Pick<ChatChoices, 'models' | 'defaults'>, name: string | undefined): ModelSpec {
  const requested = name ?? choices.defaults.model;
  if (!MODEL_NAME_PATTERN.test(requested)) throw invalidInput('model is not a valid model name');
  const resolved = choices.models.resolve(requested);
  if (!resolved.known && requested !== choices.defaults.model) {
    throw invalidInput(`Unknown model "${requested}"; see the models query for the available ones`);
  }
  return resolved.spec;
}

function chooseTitle(title: string | undefined, firstMessage: string | undefined): string {
  if (title !== undefined) return normalizeTitle(title);
  return firstMessage !== undefined ? titleFromFirstMessage(firstMessage) : 'New chat';
}

function chooseSystemPrompt(choices: ChatChoices, request: NewChatRequest): string {
  if (request.personaId !== undefined && request.systemPrompt !== undefined) {
    throw invalidInput('Choose either a persona or a system prompt, not both');
  }
  if (request.personaId !== undefined) {
    const persona = choices.personas.get(request.personaId);
    if (!persona) throw invalidInput(`Unknown persona "${request.personaId}"; see the personas query`);
    return persona.systemPrompt;
  }
  if (request.systemPrompt !== undefined) {
    const prompt = request.systemPrompt.trim();
    if (prompt.length === 0) throw invalidInput('systemPrompt must not be empty');
    if (prompt.length > MAX_SYSTEM_PROMPT_LENGTH) {
      throw invalidInput(`systemPrompt must be at most ${MAX_SYSTEM_PROMPT_LENGTH} characters`);
    }
    return prompt;
  }
  return choices.defaults.systemPrompt;
}
