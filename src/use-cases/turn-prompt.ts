import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import { summaryNoteText, type ContextSummary, type PromptNote } from '../domain/context-summary.js';
import { fitContextWindow } from '../domain/context-window.js';
import type { Message } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import { fitWithSummary } from '../domain/summarized-context.js';
import type { CoreDeps } from './core-deps.js';
import { foldSummary } from './fold-summary.js';

export interface TurnPromptInput {
  readonly chat: Chat;
  readonly model: ModelSpec;
  readonly config: ChatConfig;
  readonly system: Message;
  /** Sendable messages not yet erased, oldest first, ending with the new user message. */
  readonly history: readonly Message[];
}

export interface TurnPrompt {
  readonly prompt: readonly (Message | PromptNote)[];
  readonly promptTokens: number;
  /** Seq of the oldest history message sent: everything before it is erased by this turn. */
  readonly firstKeptSeq: number;
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
export async function buildTurnPrompt(deps: CoreDeps, input: TurnPromptInput): Promise<TurnPrompt> {
  const { chat, model, config, system, history } = input;
  const window = { contextWindow: model.contextWindow, replyBudget: config.maxTokens };
  if (config.contextStrategy !== 'SUMMARIZE') {
    const fit = fitContextWindow({ system, history, ...window });
    return { prompt: fit.prompt, promptTokens: fit.promptTokens, firstKeptSeq: fit.prompt[1]!.seq };
  }

  const fitWith = (summary: ContextSummary | undefined) =>
    fitWithSummary({ system, history, summary: summary && { note: noteOf(summary), coversThroughSeq: summary.coversThroughSeq }, ...window });
  const current = await deps.chats.findContextSummary(chat.id);
  const trial = fitWith(current);
  const earlier = await deps.chats.listErasedMessages(chat.id, current?.coversThroughSeq ?? 0, PENDING_LIMIT);
  const pending = [...earlier, ...trial.uncovered].sort((a, b) => a.seq - b.seq);
  const folded = pending.length === 0 ? undefined : await foldSummary(deps, { chat, model, current, pending });
  const fit = folded === undefined ? trial : fitWith(folded);
  return { prompt: fit.prompt, promptTokens: fit.promptTokens, firstKeptSeq: fit.firstKeptSeq, summary: folded };
}

/** The stored summary as its note: the count was taken when it was written, never again. */
const noteOf = (summary: ContextSummary): PromptNote => ({ role: 'USER', content: summaryNoteText(summary.content), tokenCount: summary.tokenCount });
