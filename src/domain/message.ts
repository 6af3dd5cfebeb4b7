import type { ErrorCode } from './errors.js';
import { messageTokens, type TextTokenCount } from './token-rules.js';

export const MESSAGE_ROLES = ['SYSTEM', 'USER', 'ASSISTANT'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const MESSAGE_STATUSES = ['STREAMING', 'COMPLETE', 'INCOMPLETE', 'FAILED'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Why a reply ended: upstream finish reasons plus our own ('stopped', 'error'). */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'stopped' | 'error' | (string & {});

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Of the prompt tokens, those the provider served from its cache, when it says. */
  readonly cachedPromptTokens?: number | undefined;
  /** Of the completion tokens, the model's reasoning, when it says. */
  readonly reasoningTokens?: number | undefined;
}

export interface Message {
  readonly id: string;
  readonly chatId: string;
  /** Position within the chat, starting at 0 (the system prompt). */
  readonly seq: number;
  readonly role: MessageRole;
  readonly content: string;
  /** Chat-format token count of this message, computed once when written. */
  readonly tokenCount: number;
  readonly status: MessageStatus;
  /** Fell out of the context window: kept and listable, never sent upstream again. */
  readonly erased: boolean;
  readonly model: string;
  readonly finishReason: FinishReason | null;
  /** What the upstream reported for the turn that produced this reply. */
  readonly usage: TokenUsage | null;
  /** Why the reply failed (FAILED, or INCOMPLETE after an upstream error); null otherwise. */
  readonly errorCode: ErrorCode | null;
  readonly createdAt: Date;
}

/** The statuses a reply may end in; STREAMING is the only non-final one. */
export type FinalMessageStatus = Exclude<MessageStatus, 'STREAMING'>;

/**
 * A reply's final status follows from how it ended. A reply cut short by the
 * token budget is truncated, so it is never COMPLETE.
 */
export function finalStatusOf(ending: { finishReason: FinishReason; deliveredText: string }): FinalMessageStatus {
  switch (ending.finishReason) {
    case 'stop':
    case 'tool_calls':
      return 'COMPLETE';
    case 'error':
      return ending.deliveredText.length > 0 ? 'INCOMPLETE' : 'FAILED';
    default:
      return 'INCOMPLETE';
  }
}

/** The fields of a SYSTEM or USER message that its author decides; the rest follows. */
export interface NewMessageFields {
  readonly id: string;
  readonly chatId: string;
  readonly seq: number;
  readonly role: Exclude<MessageRole, 'ASSISTANT'>;
  readonly content: string;
  /** The model's name: a message is counted in its chat's encoding. */
  readonly model: string;
  readonly at: Date;
}

/**
 * A complete SYSTEM or USER message not yet stored, with its token count
 * computed now, once: the only time its text is tokenized.
 */
export function newMessage(fields: NewMessageFields, count: TextTokenCount): Message {
  const { id, chatId, seq, role, content, model, at } = fields;
  return {
    id,
    chatId,
    seq,
    role,
    content,
    tokenCount: messageTokens({ role, content }, count),
    status: 'COMPLETE',
    erased: false,
    model,
    finishReason: null,
    usage: null,
    errorCode: null,
    createdAt: at,
  };
}
