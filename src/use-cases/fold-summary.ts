import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import { summaryNote, type ContextSummary } from '../domain/context-summary.js';
import { DomainError, toPublicError } from '../domain/errors.js';
import type { Message, TokenUsage } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import { summaryInput } from '../domain/summary-input.js';
import { wireRole } from '../domain/token-rules.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this use case needs. */
export type FoldSummaryDeps = Pick<CoreDeps, 'clock' | 'completions' | 'ids' | 'logger' | 'models' | 'summaries' | 'tokens'>;

export interface FoldRequest {
  readonly chat: Chat;
  /** The chat's model: the note is counted in its encoding. */
  readonly model: ModelSpec;
  readonly current: ContextSummary | undefined;
  /** Erased messages the current summary does not cover, oldest first. */
  readonly pending: readonly Message[];
}

/** A summary call may read at most this many times its own budget: what one fold can cost stays bounded. */
const INPUT_PER_SUMMARY_TOKEN = 8;

/** What one fold of a chat of `chatModel` may send and receive at most: what a budget holds before a turn may fold. */
export function foldBounds(deps: Pick<CoreDeps, 'models' | 'summaries'>, chatModel: string): { model: ModelSpec; maxInputTokens: number; maxOutputTokens: number } {
  const model = deps.models.resolve(deps.summaries.model ?? chatModel).spec;
  const maxOutputTokens = Math.max(1, Math.min(deps.summaries.maxTokens, model.maxOutputTokens, Math.floor(model.contextWindow / 2)));
  return { model, maxInputTokens: Math.min(model.contextWindow - maxOutputTokens, INPUT_PER_SUMMARY_TOKEN * maxOutputTokens), maxOutputTokens };
}

/** Summaries should restate, not invent: no sampling randomness, no stop sequences of the chat. */
const SUMMARY_SAMPLING: Omit<ChatConfig, 'maxTokens'> = {
  temperature: 0,
  topP: 1,
  stop: [],
  presencePenalty: 0,
  frequencyPenalty: 0,
  contextStrategy: 'TRUNCATE',
};

/**
 * One non-streaming call that folds the pending erased messages into the
 * chat's running summary, within SUMMARY_TIMEOUT. Returns the new fold, not
 * stored (the turn stores it with itself), or undefined when there was
 * nothing to fold or the call failed: that is logged, the turn goes on
 * without it, and the same messages are pending again next turn. Never throws
 * for an upstream failure.
 */
export async function foldSummary(deps: FoldSummaryDeps, request: FoldRequest): Promise<ContextSummary | undefined> {
  const { chat, model, current, pending } = request;
  const { model: summaryModel, maxOutputTokens: maxTokens, maxInputTokens } = foldBounds(deps, chat.model);
  const count = (text: string) => deps.tokens.count(text, summaryModel.encoding);
  const log = { chatId: chat.id, summaryModel: summaryModel.name };

  const input = summaryInput({
    previousSummary: current?.content,
    // Failed replies carry no text worth keeping.
    pending: pending.filter((m) => m.status !== 'FAILED' && m.content.trim() !== ''),
    inputBudget: maxInputTokens,
    maxSummaryTokens: maxTokens,
    count,
  });
  if (input === undefined) return undefined;

  let text: string;
  let usage: TokenUsage | null;
  const deadline = AbortSignal.timeout(deps.summaries.timeoutMs);
  try {
    const completion = await deps.completions.complete({
      model: summaryModel,
      messages: input.messages.map((m) => ({ role: wireRole(m.role), content: m.content })),
      config: { ...SUMMARY_SAMPLING, maxTokens },
      signal: deadline,
    });
    text = completion.text.trim();
    usage = completion.usage;
    if (text === '') throw new DomainError('UPSTREAM_UNAVAILABLE', 'The model returned an empty summary');
  } catch (error) {
    const code = deadline.aborted ? 'TIMEOUT' : toPublicError(error).code;
    deps.logger.warn({ ...log, err: error, code }, 'summary of erased history failed; this turn truncates, the next one tries again');
    return undefined;
  }

  if (usage !== null && usage.promptTokens !== input.promptTokens) {
    deps.logger.warn({ ...log, counted: input.promptTokens, reported: usage.promptTokens }, 'summary prompt token count differs from upstream usage');
  }
  if (input.truncated) deps.logger.info({ ...log, coversThroughSeq: input.coversThroughSeq }, 'a message too large to summarise whole was cut for the summary');
  const note = summaryNote(text, (t) => deps.tokens.count(t, model.encoding));
  return {
    id: deps.ids.newId(),
    chatId: chat.id,
    coversThroughSeq: input.coversThroughSeq,
    content: text,
    tokenCount: note.tokenCount,
    model: summaryModel.name,
    // Upstreams that report no usage still cost something: our exact count stands in.
    usage: usage ?? { promptTokens: input.promptTokens, completionTokens: count(text) },
    usageEstimated: usage === null,
    createdAt: deps.clock.now(),
  };
}
