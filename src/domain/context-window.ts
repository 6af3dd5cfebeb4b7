import { DomainError } from './errors.js';
import { REPLY_PRIMING_TOKENS } from './token-rules.js';

export interface WindowedMessage {
  readonly id: string;
  readonly tokenCount: number;
}

export interface ContextWindowInput<M extends WindowedMessage> {
  /** The chat's system prompt message; always sent, always first. */
  readonly system: M;
  /** Messages not yet erased, oldest first, ending with the new user message. */
  readonly history: readonly M[];
  readonly contextWindow: number;
  /** Tokens reserved for the reply (max_tokens). */
  readonly replyBudget: number;
}

export interface ContextWindowFit<M extends WindowedMessage> {
  /** What goes upstream, in order: the system prompt, then the newest messages that fit. */
  readonly prompt: readonly M[];
  /** Older messages that no longer fit: to be marked erased, never sent again. */
  readonly erased: readonly M[];
  readonly promptTokens: number;
}

/**
 * The context window rule: prompt tokens + reply budget <= window. The system
 * prompt is always kept; history is dropped oldest first, and what is dropped
 * stays dropped (a later, shorter message does not bring it back), so the
 * model never sees a conversation with holes in it. Uses stored counts only:
 * nothing here re-tokenizes.
 */
export function fitContextWindow<M extends WindowedMessage>(input: ContextWindowInput<M>): ContextWindowFit<M> {
  const { system, history, contextWindow, replyBudget } = input;
  const newest = history.at(-1);
  const budget = contextWindow - replyBudget - REPLY_PRIMING_TOKENS - system.tokenCount;
  if (newest === undefined || newest.tokenCount > budget) {
    throw new DomainError(
      'MESSAGE_TOO_LARGE',
      `The message does not fit the model's context window of ${contextWindow} tokens ` +
        `with the system prompt and a reply budget of ${replyBudget} tokens`,
    );
  }
  let used = 0;
  let firstKept = history.length;
  while (firstKept > 0) {
    const candidate = history[firstKept - 1]!;
    if (used + candidate.tokenCount > budget) break;
    used += candidate.tokenCount;
    firstKept -= 1;
  }
  return {
    prompt: [system, ...history.slice(firstKept)],
    erased: history.slice(0, firstKept),
    promptTokens: REPLY_PRIMING_TOKENS + system.tokenCount + used,
  };
}
