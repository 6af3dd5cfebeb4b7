import { notFound } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { ReplyEvent } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import { followReply, type FollowReplyDeps } from './follow-reply.js';
import { decodeReplyCursor } from '../domain/reply-cursor.js';

/** The ports this use case needs. */
export type WatchReplyDeps = Pick<CoreDeps, 'chats' | 'events'> & FollowReplyDeps;

/**
 * One of the caller's replies from a cursor on (null: from the start):
 * ReplyStarted, the text after the cursor as deltas, then the ending. For a
 * client that lost its connection, a second tab or another device, while the
 * reply runs or after it ended. Another user's message is NOT_FOUND.
 */
export async function watchReply(
  deps: WatchReplyDeps,
  userId: string,
  messageId: string,
  after: string | null | undefined,
  signal?: AbortSignal,
): Promise<AsyncIterable<ReplyEvent>> {
  const offset = decodeReplyCursor(after);
  const reply = await deps.chats.findMessage(messageId);
  const chat = reply?.role === 'ASSISTANT' ? await deps.chats.findChat(userId, reply.chatId) : undefined;
  if (reply === undefined || chat === undefined) throw notFound('Message');
  // Listening starts before anything is read, so nothing published meanwhile is missed.
  const events = await deps.events.subscribe(chat.id, signal);
  try {
    const userMessage = await deps.chats.findMessageAt(chat.id, reply.seq - 1);
    if (userMessage === undefined) throw notFound('Message');
    return followReply(deps, { type: 'started', chat, userMessage, assistantMessage: reply }, offset, events);
  } catch (error) {
    await events[Symbol.asyncIterator]().return?.();
    throw error;
  }
}

/** The chat's reply now streaming, if any: how a second tab finds a running reply. */
export async function activeReply(deps: WatchReplyDeps, chatId: string): Promise<Message | null> {
  const pending = await deps.chats.findStreamingReply(chatId);
  return pending?.message ?? null;
}
