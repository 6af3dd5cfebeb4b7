import type { TokenUsage } from '../../domain/message.js';

type Details = Pick<TokenUsage, 'cachedPromptTokens' | 'reasoningTokens'>;

const count = (value: unknown): number | undefined => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined);

/**
 * The billing details of an OpenAI usage object, when present and valid:
 * `prompt_tokens_details.cached_tokens` (billed at the cached-input price)
 * and `completion_tokens_details.reasoning_tokens` (part of the completion).
 * OpenAI-compatible servers often send neither; anything malformed is ignored.
 */
export function usageDetailsOf(usage: object): Details {
  const { prompt_tokens_details: prompt, completion_tokens_details: completion } = usage as {
    prompt_tokens_details?: { cached_tokens?: unknown } | null;
    completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  };
  const cachedPromptTokens = typeof prompt === 'object' && prompt !== null ? count(prompt.cached_tokens) : undefined;
  const reasoningTokens = typeof completion === 'object' && completion !== null ? count(completion.reasoning_tokens) : undefined;
  return {
    ...(cachedPromptTokens === undefined ? {} : { cachedPromptTokens }),
    ...(reasoningTokens === undefined ? {} : { reasoningTokens }),
  };
}
