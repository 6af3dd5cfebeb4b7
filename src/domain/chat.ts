import type { ChatConfig } from './chat-config.js';
import { DomainError, invalidInput } from './errors.js';

export const CHAT_STATUSES = ['ACTIVE', 'ENDED'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

export interface Chat {
  readonly id: string;
  /** The owner. Every read and write is scoped by it. */
  readonly userId: string;
  readonly title: string;
  readonly status: ChatStatus;
  readonly model: string;
  readonly personaId: string | null;
  /** Stored as the chat's first message too; kept here for display. */
  readonly systemPrompt: string;
  readonly config: ChatConfig;
  readonly createdAt: Date;
  /** Latest activity: creation, a message, a rename or the end. */
  readonly updatedAt: Date;
}

export const MAX_TITLE_LENGTH = 200;
export const MAX_USER_ID_LENGTH = 200;

export function normalizeTitle(title: string): string {
  const trimmed = title.replace(/\s+/g, ' ').trim();
  if (trimmed.length === 0) throw invalidInput('title must not be empty');
  if (trimmed.length > MAX_TITLE_LENGTH) throw invalidInput(`title must be at most ${MAX_TITLE_LENGTH} characters`);
  return trimmed;
}

/** A chat without a title is named after the start of its first message. */
export function titleFromFirstMessage(content: string): string {
  const oneLine = content.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length <= 60 ? oneLine : `${chars.slice(0, 59).join('')}…`;
}

export function assertAcceptsMessages(chat: Chat): void {
  if (chat.status === 'ENDED') throw new DomainError('CHAT_ENDED', 'This chat has ended and accepts no new message');
}

export function validateUserId(userId: string): string {
  if (userId.trim().length === 0) throw invalidInput('user_id is required');
  if (userId.length > MAX_USER_ID_LENGTH) throw invalidInput(`user_id must be at most ${MAX_USER_ID_LENGTH} characters`);
  return userId;
}
