import { notFound } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import { isLeaseLive } from '../domain/reply-lease.js';
import type { CoreDeps } from './core-deps.js';
import { recoverAbandonedReply } from './recover-replies.js';

/**
 * Stops a reply in progress: the upstream request is aborted and exactly the
 * text delivered so far is stored as INCOMPLETE. A reply whose producer is
 * gone (lease expired) is ended with its checkpointed text. A reply that
 * already ended is returned as it is, so stopping is safe to repeat.
 */
export async function stopReply(deps: CoreDeps, userId: string, messageId: string): Promise<Message> {
  const message = await deps.chats.findMessage(messageId);
  if (!message || message.role !== 'ASSISTANT' || !(await deps.chats.findChat(userId, message.chatId))) {
    throw notFound('Message');
  }
  if (await deps.replies.stop(messageId)) return (await deps.chats.findMessage(messageId)) ?? message;
  if (message.status !== 'STREAMING') return message;
  const pending = await deps.chats.findStreamingReply(message.chatId);
  if (pending?.message.id === messageId && !isLeaseLive(pending.lease, deps.clock.now())) {
    return (await recoverAbandonedReply(deps, pending.message)) ?? message;
  }
  // Produced by another live process; stopping across processes needs a shared channel (REDIS_URL).
  return message;
}
