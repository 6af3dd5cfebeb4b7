import { CONTEXT_STRATEGIES, type ChatConfig, type ChatConfigPatch } from '../../../domain/chat-config.js';
import { builder } from '../builder.js';

export const ContextStrategyEnum = builder.enumType('ContextStrategy', {
  description:
    'What happens to history that no longer fits the context window: TRUNCATE leaves it out (kept and listable); ' +
    'SUMMARIZE also folds it, once, into a running summary sent after the system prompt (see Chat.contextSummary).',
  values: CONTEXT_STRATEGIES,
});

export const ChatConfigRef = builder.objectRef<ChatConfig>('ChatConfig').implement({
  description: 'Sampling parameters sent upstream with every request of a chat, and its context strategy.',
  fields: (t) => ({
    temperature: t.exposeFloat('temperature'),
    topP: t.exposeFloat('topP'),
    maxTokens: t.exposeInt('maxTokens', { description: 'Reply budget: the most tokens one reply may have.' }),
    stop: t.exposeStringList('stop'),
    presencePenalty: t.exposeFloat('presencePenalty'),
    frequencyPenalty: t.exposeFloat('frequencyPenalty'),
    contextStrategy: t.expose('contextStrategy', { type: ContextStrategyEnum }),
  }),
});

export const ChatConfigInput = builder.inputType('ChatConfigInput', {
  description: "Changes to a chat's sampling parameters; absent fields keep their value.",
  fields: (t) => ({
    temperature: t.float({ description: '0 to 2.' }),
    topP: t.float({ description: '0 to 1.' }),
    maxTokens: t.int({ description: "1 to the model's maxOutputTokens." }),
    stop: t.stringList({ description: 'At most 4 non-empty sequences.' }),
    presencePenalty: t.float({ description: '-2 to 2.' }),
    frequencyPenalty: t.float({ description: '-2 to 2.' }),
    contextStrategy: t.field({ type: ContextStrategyEnum, description: 'Default: the CONTEXT_STRATEGY setting (TRUNCATE unless set).' }),
  }),
});

type ChatConfigInputShape = typeof ChatConfigInput.$inferInput;

/** GraphQL's explicit nulls mean "not given", as absent fields do. */
export function toConfigPatch(input: ChatConfigInputShape | null | undefined): ChatConfigPatch | undefined {
  if (input == null) return undefined;
  const patch: { -readonly [K in keyof ChatConfigPatch]: ChatConfigPatch[K] } = {};
  if (input.temperature != null) patch.temperature = input.temperature;
  if (input.topP != null) patch.topP = input.topP;
  if (input.maxTokens != null) patch.maxTokens = input.maxTokens;
  if (input.stop != null) patch.stop = input.stop;
  if (input.presencePenalty != null) patch.presencePenalty = input.presencePenalty;
  if (input.frequencyPenalty != null) patch.frequencyPenalty = input.frequencyPenalty;
  if (input.contextStrategy != null) patch.contextStrategy = input.contextStrategy;
  return patch;
}
