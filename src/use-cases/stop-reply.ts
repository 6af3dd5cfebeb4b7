import { notFound } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { CoreDeps } from './core-deps.js';

/**
 * Stops a reply in progress: the upstream request is aborted and exactly the
 * text delivered so far is stored as INCOMPLETE. A reply that already ended
 * is returned as it is, so stopping is safe to repeat.
 */
export async function stopReply(deps: CoreDeps, userId: string, messageId: string): Promise<Message> {
  const message = await deps.chats.findMessage(messageId);
  if (!message || message.role !== 'ASSISTANT' || !(await deps.chats.findChat(userId, message.chatId))) {
    throw notFound('Message');
  }
  if (!(await deps.replies.stop(messageId))) return message;
  const stored = await deps.chats.findMessage(messageId);
  return stored ?? message;
}
