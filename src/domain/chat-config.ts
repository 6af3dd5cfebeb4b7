import { invalidInput } from './errors.js';

/**
 * What happens to the history that no longer fits the window: TRUNCATE drops
 * it; SUMMARIZE folds it into a running summary sent with the prompt.
 */
export const CONTEXT_STRATEGIES = ['TRUNCATE', 'SUMMARIZE'] as const;
export type ContextStrategy = (typeof CONTEXT_STRATEGIES)[number];

/** Sampling parameters of a chat, sent upstream with every request, and its context strategy. */
export interface ChatConfig {
  readonly temperature: number;
  readonly topP: number;
  /** Reply budget: the most tokens the model may produce for one reply. */
  readonly maxTokens: number;
  readonly stop: readonly string[];
  readonly presencePenalty: number;
  readonly frequencyPenalty: number;
  readonly contextStrategy: ContextStrategy;
}

export type ChatConfigPatch = Partial<ChatConfig>;

export const MAX_STOP_SEQUENCES = 4;

const RANGES = {
  temperature: [0, 2],
  topP: [0, 1],
  presencePenalty: [-2, 2],
  frequencyPenalty: [-2, 2],
} as const;

/**
 * Applies a caller's patch to a base config, rejecting any value the OpenAI
 * API would reject, so that a bad value fails here with INVALID_INPUT instead
 * of upstream, after the user message was stored.
 */
export function mergeChatConfig(base: ChatConfig, patch: ChatConfigPatch | undefined): ChatConfig {
  const merged = { ...base, ...stripUndefined(patch ?? {}) };
  for (const [key, [min, max]] of Object.entries(RANGES) as [keyof typeof RANGES, readonly [number, number]][]) {
    const value = merged[key];
    if (!Number.isFinite(value) || value < min || value > max) {
      throw invalidInput(`config.${key} must be a number from ${min} to ${max}`);
    }
  }
  if (!Number.isInteger(merged.maxTokens) || merged.maxTokens < 1) {
    throw invalidInput('config.maxTokens must be a positive integer');
  }
  if (merged.stop.length > MAX_STOP_SEQUENCES || merged.stop.some((s) => s.length === 0 || s.length > 256)) {
    throw invalidInput(`config.stop takes at most ${MAX_STOP_SEQUENCES} non-empty sequences of at most 256 characters`);
  }
  if (!(CONTEXT_STRATEGIES as readonly string[]).includes(merged.contextStrategy)) {
    throw invalidInput(`config.contextStrategy must be one of ${CONTEXT_STRATEGIES.join(', ')}`);
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A config as stored: chats written before a key existed lack it, and read
 * as the deployment's default for it.
 */
export function storedChatConfig(stored: Partial<ChatConfig>, defaults: Pick<ChatConfig, 'contextStrategy'>): ChatConfig {
  const contextStrategy = (CONTEXT_STRATEGIES as readonly string[]).includes(stored.contextStrategy ?? '')
    ? stored.contextStrategy!
    : defaults.contextStrategy;
  return { ...(stored as ChatConfig), contextStrategy };
}
