import type { ChatConfig } from '../domain/chat-config.js';
import type { ContextSummary } from '../domain/context-summary.js';
import type { ModelSpec } from '../domain/models.js';
import { planSummarizedTurn, planTurn, type OpenTurn, type TurnPlan } from '../domain/turn.js';
import type { CoreDeps } from './core-deps.js';
import { foldSummary, type FoldSummaryDeps } from './fold-summary.js';

/** The ports this use case needs. */
export type TurnPromptDeps = Pick<CoreDeps, 'chats'> & FoldSummaryDeps;

export interface TurnPromptInput {
  readonly turn: OpenTurn;
  readonly model: ModelSpec;
  /** The turn's config: its reply budget and context strategy. */
  readonly config: ChatConfig;
}

export interface TurnPrompt {
  readonly plan: TurnPlan;
  /** A new fold of the running summary, to be stored with the turn. */
  readonly summary?: ContextSummary | undefined;
}

/** Previously erased messages a single fold looks at; the rest waits for later folds. */
const PENDING_LIMIT = 200;

/**
 * What a turn sends. TRUNCATE: the context window rule. SUMMARIZE: the
 * summary note is reserved in the window; when history is pending (erased
 * now, or earlier by a turn whose fold failed), one fold runs first and the
 * prompt carries the new summary.
 */
export async function buildTurnPrompt(deps: TurnPromptDeps, input: TurnPromptInput): Promise<TurnPrompt> {
  const { turn, model, config } = input;
  const window = { contextWindow: model.contextWindow, replyBudget: config.maxTokens };
  if (config.contextStrategy !== 'SUMMARIZE') return { plan: planTurn(turn, window) };

  const current = await deps.chats.findContextSummary(turn.chat.id);
  const trial = planSummarizedTurn(turn, window, current);
  const earlier = await deps.chats.listErasedMessages(turn.chat.id, current?.coversThroughSeq ?? 0, PENDING_LIMIT);
  const pending = [...earlier, ...trial.uncovered].sort((a, b) => a.seq - b.seq);
  if (pending.length === 0) return { plan: trial };
  const folded = await foldSummary(deps, { chat: turn.chat, model, current, pending });
  return folded === undefined ? { plan: trial } : { plan: planSummarizedTurn(turn, window, folded), summary: folded };
}
