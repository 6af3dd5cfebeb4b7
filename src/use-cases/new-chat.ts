import { titleFromFirstMessage, normalizeTitle, validateUserId, type Chat } from '../domain/chat.js';
import { mergeChatConfig, type ChatConfig, type ChatConfigPatch } from '../domain/chat-config.js';
import { invalidInput } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import { MODEL_NAME_PATTERN, type ModelSpec } from '../domain/models.js';
import type { CoreDeps } from './core-deps.js';
import { writtenMessage } from './written-message.js';

export interface NewChatInput {
  readonly userId: string;
  readonly title?: string | undefined;
  readonly model?: string | undefined;
  readonly personaId?: string | undefined;
  /** A chat's own system prompt, instead of a persona's. */
  readonly systemPrompt?: string | undefined;
  readonly config?: ChatConfigPatch | undefined;
}

export const MAX_SYSTEM_PROMPT_LENGTH = 32_000;
const DEFAULT_REPLY_BUDGET = 1024;

/**
 * Builds a validated chat and its system message without storing anything,
 * so that send-message can store them in the same transaction as the first
 * turn (a rejected first message must leave no empty chat behind).
 */
export function prepareNewChat(
  deps: CoreDeps,
  input: NewChatInput,
  firstMessage?: string,
): { chat: Chat; systemMessage: Message; model: ModelSpec } {
  const userId = validateUserId(input.userId);
  const model = resolveSelectableModel(deps, input.model);
  const systemPrompt = chooseSystemPrompt(deps, input);
  const config = mergeChatConfig(defaultConfigFor(deps, model), input.config);
  assertReplyBudgetFits(config, model);

  const now = deps.clock.now();
  const id = deps.ids.newId();
  const title =
    input.title !== undefined
      ? normalizeTitle(input.title)
      : firstMessage !== undefined
        ? titleFromFirstMessage(firstMessage)
        : 'New chat';
  const chat: Chat = {
    id,
    userId,
    title,
    status: 'ACTIVE',
    model: model.name,
    personaId: input.personaId ?? null,
    systemPrompt,
    config,
    createdAt: now,
    updatedAt: now,
  };
  const systemMessage = writtenMessage(deps, { chatId: id, seq: 0, role: 'SYSTEM', content: systemPrompt, model, at: now });
  return { chat, systemMessage, model };
}

/**
 * Callers may pick any known model family (dated snapshots included) or the
 * configured default. The default may be a name we do not know (a local
 * OpenAI-compatible server's model): it then runs on fallback token rules.
 */
export function resolveSelectableModel(deps: CoreDeps, name: string | undefined): ModelSpec {
  const requested = name ?? deps.defaults.model;
  if (!MODEL_NAME_PATTERN.test(requested)) throw invalidInput('model is not a valid model name');
  const resolved = deps.models.resolve(requested);
  if (!resolved.known && requested !== deps.defaults.model) {
    throw invalidInput(`Unknown model "${requested}"; see the models query for the available ones`);
  }
  return resolved.spec;
}

/** The chat config for a model: the defaults, with a reply budget the model can honour. */
export function defaultConfigFor(deps: CoreDeps, model: ModelSpec): ChatConfig {
  const { maxTokens, ...sampling } = deps.defaults.config;
  const budget =
    maxTokens ?? Math.min(DEFAULT_REPLY_BUDGET, Math.max(1, Math.floor(model.contextWindow / 4)));
  return { ...sampling, maxTokens: Math.min(budget, model.maxOutputTokens) };
}

export function assertReplyBudgetFits(config: ChatConfig, model: ModelSpec): void {
  if (config.maxTokens > model.maxOutputTokens || config.maxTokens >= model.contextWindow) {
    throw invalidInput(
      `config.maxTokens must be at most ${Math.min(model.maxOutputTokens, model.contextWindow - 1)} for ${model.name}`,
    );
  }
}

function chooseSystemPrompt(deps: CoreDeps, input: NewChatInput): string {
  if (input.personaId !== undefined && input.systemPrompt !== undefined) {
    throw invalidInput('Choose either a persona or a system prompt, not both');
  }
  if (input.personaId !== undefined) {
    const persona = deps.personas.get(input.personaId);
    if (!persona) throw invalidInput(`Unknown persona "${input.personaId}"; see the personas query`);
    return persona.systemPrompt;
  }
  if (input.systemPrompt !== undefined) {
    const prompt = input.systemPrompt.trim();
    if (prompt.length === 0) throw invalidInput('systemPrompt must not be empty');
    if (prompt.length > MAX_SYSTEM_PROMPT_LENGTH) {
      throw invalidInput(`systemPrompt must be at most ${MAX_SYSTEM_PROMPT_LENGTH} characters`);
    }
    return prompt;
  }
  return deps.defaults.systemPrompt;
}
