import { assertAcceptsMessages, type Chat } from './chat.js';
import type { ContextSummary, PromptNote } from './context-summary.js';
import { summaryNoteText } from './context-summary.js';
import { fitContextWindow } from './context-window.js';
import { DomainError, invalidInput } from './errors.js';
import { newMessage, type Message } from './message.js';
import type { ModelSpec } from './models.js';
import { fitWithSummary } from './summarized-context.js';
import type { TextTokenCount } from './token-rules.js';

/** Larger messages are refused before tokenizing: no model window admits them. */
export const MAX_MESSAGE_CHARS = 200_000;

/** A user message's text, as sent: not blank, not beyond any window. */
export function validateMessageContent(content: string): string {
  if (content.trim().length === 0) throw invalidInput('The message must not be empty');
  if (content.length > MAX_MESSAGE_CHARS) {
    throw new DomainError('MESSAGE_TOO_LARGE', `The message must be at most ${MAX_MESSAGE_CHARS} characters`);
  }
  return content;
}

/** What a follow-up message may ask for besides its text. */
export interface FollowUpRequest {
  readonly model?: string | undefined;
  readonly personaId?: string | undefined;
  readonly systemPrompt?: string | undefined;
}

/**
 * A message to an existing chat: the chat must accept messages, and its
 * model and prompt are fixed at creation (stored token counts depend on them).
 */
export function assertFollowUpAllowed(chat: Chat, request: FollowUpRequest): void {
  assertAcceptsMessages(chat);
  if (request.model !== undefined && request.model !== chat.model) {
    throw invalidInput('model can only be chosen when a chat starts');
  }
  if (request.personaId !== undefined || request.systemPrompt !== undefined) {
    throw invalidInput('persona and system prompt can only be chosen when a chat starts');
  }
}

export interface TurnStart {
  readonly chat: Chat;
  readonly model: ModelSpec;
  /** The chat's messages not yet erased, oldest first, starting with its system message. */
  readonly context: readonly Message[];
  readonly content: string;
  readonly userMessageId: string;
  readonly assistantMessageId: string;
  readonly at: Date;
}

/** A turn before its prompt is fitted: the two messages it adds and the history they extend. */
export interface OpenTurn {
  readonly chat: Chat;
  readonly system: Message;
  /** Everything after the system message before this turn, failed replies included. */
  readonly earlier: readonly Message[];
  /** What may be sent after the system message, oldest first, ending with the user message. */
  readonly history: readonly Message[];
  readonly userMessage: Message;
  /** The reply, empty and STREAMING until it is produced. */
  readonly assistantMessage: Message;
}

/**
 * Opens a turn on a chat's context: the user message (counted once, now)
 * and the empty reply after it. Failed replies carry no text the model
 * should see, so they are history but not sendable.
 */
export function openTurn(start: TurnStart, count: TextTokenCount): OpenTurn {
  const { chat, model, context, content, at } = start;
  const [system, ...earlier] = context;
  if (!system || system.role !== 'SYSTEM') throw new Error(`Chat ${chat.id} has no system message`);
  const lastSeq = context.at(-1)!.seq;
  const userMessage = newMessage(
    { id: start.userMessageId, chatId: chat.id, seq: lastSeq + 1, role: 'USER', content, model: model.name, at },
    count,
  );
  const assistantMessage: Message = {
    ...userMessage,
    id: start.assistantMessageId,
    seq: userMessage.seq + 1,
    role: 'ASSISTANT',
    content: '',
    tokenCount: 0,
    status: 'STREAMING',
  };
  const sendable = earlier.filter((m) => m.status !== 'FAILED');
  return { chat, system, earlier, history: [...sendable, userMessage], userMessage, assistantMessage };
}

/** The room a prompt has: the model's window, less the reply budget. */
export interface TurnWindow {
  readonly contextWindow: number;
  readonly replyBudget: number;
}

/** What a turn sends, and what it changes in the chat's context. */
export interface TurnPlan {
  readonly prompt: readonly (Message | PromptNote)[];
  readonly promptTokens: number;
  /** Earlier messages this turn erases: never sent again. */
  readonly erased: readonly Message[];
  /** Of those, the ones no summary covers yet (SUMMARIZE: what the next fold should read). */
  readonly uncovered: readonly Message[];
  /** The chat's context once the turn is stored: system, what is kept, the two new messages. */
  readonly contextAfter: readonly Message[];
}

/** TRUNCATE: the context window rule; the oldest history is dropped. */
export function planTurn(turn: OpenTurn, window: TurnWindow): TurnPlan {
  const fit = fitContextWindow({ system: turn.system, history: turn.history, ...window });
  return plan(turn, fit.prompt, fit.promptTokens, fit.prompt[1]!.seq, fit.erased);
}

/**
 * SUMMARIZE: the window rule with the summary's note reserved (see
 * fitWithSummary). What falls out and is not covered yet is `uncovered`.
 */
export function planSummarizedTurn(turn: OpenTurn, window: TurnWindow, summary: ContextSummary | undefined): TurnPlan {
  const note = summary && { note: storedSummaryNote(summary), coversThroughSeq: summary.coversThroughSeq };
  const fit = fitWithSummary({ system: turn.system, history: turn.history, summary: note, ...window });
  return plan(turn, fit.prompt, fit.promptTokens, fit.firstKeptSeq, fit.uncovered);
}

function plan(
  turn: OpenTurn,
  prompt: readonly (Message | PromptNote)[],
  promptTokens: number,
  firstKeptSeq: number,
  uncovered: readonly Message[],
): TurnPlan {
  // Failed replies are not sendable but still leave the context with what precedes them.
  const erased = turn.earlier.filter((m) => m.seq < firstKeptSeq);
  const kept = turn.earlier.filter((m) => m.seq >= firstKeptSeq);
  return {
    prompt,
    promptTokens,
    erased,
    uncovered,
    contextAfter: [turn.system, ...kept, turn.userMessage, turn.assistantMessage],
  };
}

/** A stored summary as its note: the count was taken when it was written, never again. */
function storedSummaryNote(summary: ContextSummary): PromptNote {
  return { role: 'USER', content: summaryNoteText(summary.content), tokenCount: summary.tokenCount };
}
