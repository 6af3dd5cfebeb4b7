import { LimitExceeded, refusalOf, standingIn } from '../domain/budget.js';
import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import { summaryNote, type ContextSummary } from '../domain/context-summary.js';
import { fitContextWindow } from '../domain/context-window.js';
import type { Message } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import type { TurnClaim } from '../domain/usage-claim.js';
import { usagePeriodsAt } from '../domain/usage-period.js';
import { addWorstCases, costMicros, estimatedCounts, reportedCounts, worstCase, type Channel, type UsageRecord, type WorstCase } from '../domain/usage.js';
import { effectiveLimits } from '../domain/user-limits.js';
import type { CoreDeps } from './core-deps.js';
import { foldBounds, type FoldSummaryDeps } from './fold-summary.js';

/** The ports this use case needs. */
export type AdmitTurnDeps = Pick<CoreDeps, 'clock' | 'metrics' | 'tokens' | 'usage'> & FoldSummaryDeps;

export interface AdmissionRequest {
  readonly chat: Chat;
  readonly model: ModelSpec;
  /** The turn's config: its reply budget is part of the worst case. */
  readonly config: ChatConfig;
  readonly channel: Channel | undefined;
  /** What the prompt is fitted from: the system prompt, and the sendable history ending with the new message. */
  readonly system: Message;
  readonly history: readonly Message[];
}

/** A turn let in by its user's limits, to be stored with its claim. */
export interface TurnAdmission {
  /**
   * The claim to store with the turn (TurnRecord.claim): its reply's worst
   * case from the exact prompt, and the summary it folded (already spent).
   */
  claimFor(messageId: string, prompt: { readonly promptTokens: number; readonly summary?: ContextSummary | undefined }): TurnClaim;
}

/**
 * Lets a turn in, or refuses it before anything is stored or sent upstream
 * (the summary call of a SUMMARIZE chat included): RATE_LIMITED over the
 * requests per minute or the concurrent replies, QUOTA_EXCEEDED when the
 * day's tokens or the month's budget cannot hold the turn's worst case.
 * The budgets checked here are read, not held: the store holds the claim
 * atomically with the turn (recordTurn), and refuses it there if concurrent
 * turns took the room meanwhile.
 */
export async function admitTurn(deps: AdmitTurnDeps, request: AdmissionRequest): Promise<TurnAdmission> {
  const { chat, model, config } = request;
  const userId = chat.userId;
  const limits = effectiveLimits(deps.usage.defaults, await deps.usage.limits.find(userId));
  const replyPrice = deps.usage.prices.priceOf(model.name)?.price;
  // A token or money budget holds the turn's worst case; a concurrency limit one of the user's reply slots.
  const holdsBudget = limits.dailyTokens !== null || limits.monthlyBudgetMicros !== null;
  const replySlot = limits.concurrentReplies !== null;
  // Before a request is counted: a message too large for the window is refused as that, not as a request.
  const bound = holdsBudget || replySlot ? worstCaseBound(deps, request) : undefined;
  if (limits.requestsPerMinute !== null) await takeRequest(deps, userId, limits.requestsPerMinute);

  const at = deps.clock.now();
  const periods = usagePeriodsAt(at);
  if (bound !== undefined) {
    const counters = await deps.usage.budgets.countersOf(userId);
    const refusal = refusalOf(standingIn(counters, periods), limits, { ...bound, replySlot }, at);
    if (refusal !== undefined) throw refusal.error;
  }

  return {
    claimFor: (messageId, prompt) => {
      // Without a budget to hold it in, the reply's spend is simply counted when it ends.
      const worst = holdsBudget ? worstCase(prompt.promptTokens, config.maxTokens, replyPrice) : NOTHING;
      const summary = prompt.summary === undefined ? undefined : summaryRecord(deps, prompt.summary, { messageId, userId, channel: request.channel });
      if (summary !== undefined) deps.metrics.usageRecorded(summary);
      return {
        messageId,
        userId,
        chatId: chat.id,
        channel: request.channel ?? 'other',
        model: model.name,
        promptTokens: prompt.promptTokens,
        hold: { day: periods.day, month: periods.month, tokens: worst.tokens, micros: worst.micros, holdsReplySlot: replySlot },
        limits,
        summary,
        at,
      };
    },
  };
}

const NOTHING: WorstCase = { tokens: 0, micros: 0 };

async function takeRequest(deps: AdmitTurnDeps, userId: string, perMinute: number): Promise<void> {
  const taken = await deps.usage.rateLimiter.take(userId, perMinute);
  if (taken.allowed) return;
  const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  const message = `At most ${perMinute} ${perMinute === 1 ? 'message' : 'messages'} per minute; try again in ${seconds} s`;
  throw new LimitExceeded('requests_per_minute', 'RATE_LIMITED', message, taken.retryAfterMs);
}

/**
 * The most the turn can cost, before its prompt is built: exact for a
 * TRUNCATE chat (the same fit the prompt will be), bounded for a SUMMARIZE
 * chat, whose prompt may gain a summary note and whose turn may first make
 * one summary call.
 */
function worstCaseBound(deps: AdmitTurnDeps, request: AdmissionRequest): WorstCase {
  const { system, history, model, config } = request;
  const price = deps.usage.prices.priceOf(model.name)?.price;
  const truncated = fitContextWindow({ system, history, contextWindow: model.contextWindow, replyBudget: config.maxTokens }).promptTokens;
  if (config.contextStrategy !== 'SUMMARIZE') return worstCase(truncated, config.maxTokens, price);

  const fold = foldBounds(deps, model.name);
  // The summary text is counted in the summary model's encoding; twice that covers the chat model's.
  const noteTokens = summaryNote('', (text) => deps.tokens.count(text, model.encoding)).tokenCount + 2 * fold.maxOutputTokens;
  const prompt = Math.min(model.contextWindow - config.maxTokens, truncated + noteTokens);
  const foldPrice = deps.usage.prices.priceOf(fold.model.name)?.price;
  return addWorstCases(worstCase(prompt, config.maxTokens, price), worstCase(fold.maxInputTokens, fold.maxOutputTokens, foldPrice));
}

function summaryRecord(
  deps: AdmitTurnDeps,
  summary: ContextSummary,
  turn: { readonly messageId: string; readonly userId: string; readonly channel: Channel | undefined },
): UsageRecord {
  const estimated = summary.usageEstimated ?? false;
  const counts = estimated ? estimatedCounts(summary.usage.promptTokens, summary.usage.completionTokens) : reportedCounts(summary.usage);
  const { prices } = deps.usage;
  return {
    messageId: turn.messageId,
    kind: 'summary',
    userId: turn.userId,
    chatId: summary.chatId,
    channel: turn.channel ?? 'other',
    model: summary.model,
    counts,
    estimated,
    costMicros: costMicros(counts, prices.priceOf(summary.model)?.price),
    priceVersion: prices.version,
    at: summary.createdAt,
  };
}

/** Counts the refusals of `sending` by a user's limit, whichever step refused it (admission, or the store's atomic hold). */
export async function meteredRefusals<T>(deps: Pick<CoreDeps, 'metrics'>, sending: Promise<T>): Promise<T> {
  try {
    return await sending;
  } catch (error) {
    if (error instanceof LimitExceeded) deps.metrics.limitRejected(error.limit);
    throw error;
  }
}
