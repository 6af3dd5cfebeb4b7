import type OpenAI from 'openai';
import type { MessageRole } from '../../src/domain/message.js';
import { messageTokens, promptTokens } from '../../src/domain/token-rules.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import type { ReplyEvent } from '../../src/use-cases/chat-events.js';
import type { FakeReply, FakeRequest } from '../support/fake-openai.js';

/** A small window so a few messages overflow it; every model's window is capped by it. */
export const WINDOW = 600;
export const REPLY_BUDGET = 50;
export const SUMMARY_BUDGET = 100;
export const SUMMARY_ENV = {
  MODEL_MAX_TOKENS: String(WINDOW),
  MAX_TOKENS: String(REPLY_BUDGET),
  CONTEXT_STRATEGY: 'SUMMARIZE',
  SUMMARY_MAX_TOKENS: String(SUMMARY_BUDGET),
  SUMMARY_TIMEOUT_MS: '1500',
};

const tokens = new TiktokenCounter();

/** The exact prompt tokens of a request as sent (gpt-4o-mini: o200k_base), by the tokenizer itself. */
export function countSent(request: FakeRequest): number {
  const count = (text: string) => tokens.count(text, 'o200k_base');
  const roles: Record<string, MessageRole> = { system: 'SYSTEM', user: 'USER', assistant: 'ASSISTANT' };
  return promptTokens(request.body.messages.map((m) => messageTokens({ role: roles[m.role]!, content: String(m.content) }, count)));
}

export const noteTokens = (content: string) => messageTokens({ role: 'USER', content }, (t) => tokens.count(t, 'o200k_base'));

export const isSummaryRequest = (request: FakeRequest) => request.body.stream !== true;
export const contentsOf = (request: FakeRequest) => request.body.messages.map((m) => String(m.content));
export const rolesOf = (request: FakeRequest) => request.body.messages.map((m: OpenAI.Chat.ChatCompletionMessageParam) => m.role);

/** ~85 tokens, tagged so a test can see which summary request carried it. */
export const longMessage = (n: number) => `Message ${n}: ${'apple '.repeat(80)}`;

/** Replies 'Noted.' to turns and 'Summary #k.' to summary calls, unless a summary reply is given. */
export function upstream(summaryReplies: (FakeReply | undefined)[] = []) {
  let summaries = 0;
  return (request: FakeRequest): FakeReply => {
    if (!isSummaryRequest(request)) return { text: 'Noted.' };
    summaries += 1;
    return summaryReplies[summaries - 1] ?? { text: `Summary #${summaries}: the user sent numbered messages about apples.` };
  };
}

export async function completed(events: AsyncIterable<ReplyEvent>): Promise<ReplyEvent> {
  let last: ReplyEvent | undefined;
  for await (const event of events) last = event;
  return last!;
}
