import { fitContextWindow, type WindowedMessage } from './context-window.js';
import { DomainError } from './errors.js';
import type { PromptNote } from './context-summary.js';

export interface SequencedMessage extends WindowedMessage {
  readonly seq: number;
}

export interface SummarizedContextInput<M extends SequencedMessage> {
  readonly system: M;
  /** Messages not yet erased, oldest first, ending with the new user message. */
  readonly history: readonly M[];
  /** The chat's current summary, if any: its note and the last seq it covers. */
  readonly summary?: { readonly note: PromptNote; readonly coversThroughSeq: number } | undefined;
  readonly contextWindow: number;
  readonly replyBudget: number;
}

export interface SummarizedContextFit<M extends SequencedMessage> {
  /** System prompt, then the summary note when it fits, then the newest messages that fit. */
  readonly prompt: readonly (M | PromptNote)[];
  /** History that is not sent: covered by the summary, or out of the window. */
  readonly erased: readonly M[];
  /** History that fell out of the window and is not in the summary yet. */
  readonly uncovered: readonly M[];
  /** Seq of the oldest history message sent (the new user message at least). */
  readonly firstKeptSeq: number;
  readonly promptTokens: number;
  readonly withSummary: boolean;
}

/**
 * The context window rule with a summary reserved: the note's tokens are
 * set aside like the system prompt's, so prompt + reply budget still fits
 * the window exactly. What the summary covers is never sent again, whether
 * or not the note fits. A note too large to leave room for the new message
 * is left out (plain truncation) rather than refusing the message.
 */
export function fitWithSummary<M extends SequencedMessage>(input: SummarizedContextInput<M>): SummarizedContextFit<M> {
  const { system, history, summary, contextWindow, replyBudget } = input;
  const coversThrough = summary?.coversThroughSeq ?? Number.NEGATIVE_INFINITY;
  const covered = history.filter((m) => m.seq <= coversThrough);
  const open = history.filter((m) => m.seq > coversThrough);

  if (summary !== undefined) {
    const withNote = tryFit(() => fitContextWindow({ system, history: open, contextWindow: contextWindow - summary.note.tokenCount, replyBudget }));
    if (withNote !== undefined) {
      const [, ...kept] = withNote.prompt;
      return {
        prompt: [system, summary.note, ...kept],
        erased: [...covered, ...withNote.erased],
        uncovered: withNote.erased,
        firstKeptSeq: kept[0]!.seq,
        promptTokens: withNote.promptTokens + summary.note.tokenCount,
        withSummary: true,
      };
    }
  }
  const plain = fitContextWindow({ system, history: open, contextWindow, replyBudget });
  const [, ...kept] = plain.prompt;
  return {
    prompt: plain.prompt,
    erased: [...covered, ...plain.erased],
    uncovered: plain.erased,
    firstKeptSeq: kept[0]!.seq,
    promptTokens: plain.promptTokens,
    withSummary: false,
  };
}

function tryFit<T>(fit: () => T): T | undefined {
  try {
    return fit();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'MESSAGE_TOO_LARGE') return undefined;
    throw error;
  }
}
