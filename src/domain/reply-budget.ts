import { mergeChatConfig, type ChatConfig, type ChatConfigPatch } from './chat-config.js';
import { invalidInput } from './errors.js';
import type { ModelSpec } from './models.js';

/** The reply budget a chat gets when nothing says otherwise and the model's window allows it. */
const DEFAULT_REPLY_BUDGET = 1024;

/** Sampling defaults; maxTokens absent means "fit to the model" (see configForModel). */
export type ChatConfigDefaults = Omit<ChatConfig, 'maxTokens'> & { readonly maxTokens?: number | undefined };

/** The chat config for a model: the defaults, with a reply budget the model can honour. */
export function configForModel(defaults: ChatConfigDefaults, model: ModelSpec): ChatConfig {
  const { maxTokens, ...sampling } = defaults;
  const budget = maxTokens ?? Math.min(DEFAULT_REPLY_BUDGET, Math.max(1, Math.floor(model.contextWindow / 4)));
  return { ...sampling, maxTokens: Math.min(budget, model.maxOutputTokens) };
}

/** A reply budget must be one the model can produce and leave room in its window for a prompt. */
export function assertReplyBudgetFits(config: ChatConfig, model: ModelSpec): void {
  if (config.maxTokens > model.maxOutputTokens || config.maxTokens >= model.contextWindow) {
    throw invalidInput(
      `config.maxTokens must be at most ${Math.min(model.maxOutputTokens, model.contextWindow - 1)} for ${model.name}`,
    );
  }
}

/** `base` with `patch` applied and checked against the model; `base` itself when there is no patch. */
export function patchedConfig(base: ChatConfig, patch: ChatConfigPatch | undefined, model: ModelSpec): ChatConfig {
  if (patch === undefined) return base;
  const config = mergeChatConfig(base, patch);
  assertReplyBudgetFits(config, model);
  return config;
}
