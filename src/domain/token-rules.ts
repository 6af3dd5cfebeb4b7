import type { MessageRole } from './message.js';

/**
 * The chat format's overhead, as OpenAI bills it for every current chat
 * model: each message costs 3 tokens plus its encoded role and content (+1
 * and the encoded name when named), and every prompt 3 more to prime the
 * reply. With these rules the count equals the API's usage.prompt_tokens.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

/** Counts the tokens of a text in one encoding; the only thing the rules need from a tokenizer. */
export type TextTokenCount = (text: string) => number;

export interface ChatFormatMessage {
  readonly role: MessageRole;
  readonly content: string;
  readonly name?: string | undefined;
}

export const wireRole = (role: MessageRole): 'system' | 'user' | 'assistant' =>
  role === 'SYSTEM' ? 'system' : role === 'USER' ? 'user' : 'assistant';

export function messageTokens(message: ChatFormatMessage, count: TextTokenCount): number {
  let tokens = TOKENS_PER_MESSAGE + count(wireRole(message.role)) + count(message.content);
  if (message.name !== undefined) tokens += TOKENS_PER_NAME + count(message.name);
  return tokens;
}

/** Prompt tokens of a request whose messages have these stored counts. */
export const promptTokens = (messageTokenCounts: Iterable<number>): number => {
  let total = REPLY_PRIMING_TOKENS;
  for (const n of messageTokenCounts) total += n;
  return total;
};
