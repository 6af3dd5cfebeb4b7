import type { Chat } from '../domain/chat.js';
import type { ErrorCode } from '../domain/errors.js';
import type { Message } from '../domain/message.js';

/** The reply to one user message, as it happens. */
export type ReplyEvent = ReplyStarted | ReplyDelta | ReplyCompleted | ReplyFailed;

export interface ReplyStarted {
  readonly type: 'started';
  readonly chat: Chat;
  readonly userMessage: Message;
  /** The reply, stored as STREAMING. */
  readonly assistantMessage: Message;
}

export interface ReplyDelta {
  readonly type: 'delta';
  readonly chatId: string;
  readonly messageId: string;
  /** The new piece only. */
  readonly text: string;
  /** Length of the reply's text after this piece (UTF-16 code units): where a resumed watch continues. */
  readonly offset: number;
}

export interface ReplyCompleted {
  readonly type: 'completed';
  readonly chatId: string;
  /** The stored reply: COMPLETE, or INCOMPLETE when stopped or cut by the token budget. */
  readonly message: Message;
}

export interface ReplyFailed {
  readonly type: 'failed';
  readonly chatId: string;
  readonly code: ErrorCode;
  /** Why, in words safe to show a client (the code says it for programs). */
  readonly reason: string;
  /** The stored reply: FAILED, or INCOMPLETE with exactly the text delivered before the failure. */
  readonly message: Message;
}

export interface ChatUpdated {
  readonly type: 'chat-updated';
  readonly chatId: string;
  readonly chat: Chat;
}

export interface ChatDeleted {
  readonly type: 'chat-deleted';
  readonly chatId: string;
}

/** Everything that happens in one chat, whichever channel caused it. */
export type ChatEvent = ReplyEvent | ChatUpdated | ChatDeleted;

export const chatIdOf = (event: ChatEvent): string => (event.type === 'started' ? event.chat.id : event.chatId);
