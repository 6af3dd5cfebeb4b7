import { notFound } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import { isLeaseLive } from '../domain/reply-lease.js';
import type { CoreDeps } from './core-deps.js';
import { recoverAbandonedReply, type RecoverRepliesDeps } from './recover-replies.js';
import { settlesWithin } from '../lib/settles-within.js';

/** The ports this use case needs. */
export type StopReplyDeps = Pick<CoreDeps, 'chats' | 'clock' | 'events' | 'replies' | 'stops'> & RecoverRepliesDeps;

/** How long a stop waits for another process to store the reply it stopped. */
const REMOTE_STOP_PATIENCE_MS = 5_000;

/**
 * Stops a reply in progress: the upstream request is aborted and exactly the
 * text delivered so far is stored as INCOMPLETE, whichever process produces
 * it (another replica is asked through deps.stops). A reply whose producer is
 * gone (lease expired) is ended with its saved text. A reply that already
 * ended is returned as it is, so stopping is safe to repeat.
 */
export async function stopReply(deps: StopReplyDeps, userId: string, messageId: string): Promise<Message> {
  const message = await deps.chats.findMessage(messageId);
  if (!message || message.role !== 'ASSISTANT' || !(await deps.chats.findChat(userId, message.chatId))) {
    throw notFound('Message');
  }
  if (await deps.replies.stop(messageId)) return (await deps.chats.findMessage(messageId)) ?? message;
  if (message.status !== 'STREAMING') return message;
  const pending = await deps.chats.findStreamingReply(message.chatId);
  if (pending?.message.id !== messageId) return (await deps.chats.findMessage(messageId)) ?? message;
  if (!isLeaseLive(pending.lease, deps.clock.now())) return (await recoverAbandonedReply(deps, pending.message)) ?? message;
  return stopElsewhere(deps, message);
}

/** Asks the producing process to stop the reply, and returns it once that process stored it. */
async function stopElsewhere(deps: StopReplyDeps, message: Message): Promise<Message> {
  const events = (await deps.events.subscribe(message.chatId))[Symbol.asyncIterator]();
  try {
    await deps.stops.requestStop(message.id);
    const ended = (async () => {
      for (let next = await events.next(); !next.done; next = await events.next()) {
        const event = next.value;
        if ((event.type === 'completed' || event.type === 'failed') && event.message.id === message.id) return;
      }
    })();
    await settlesWithin(ended, REMOTE_STOP_PATIENCE_MS);
  } finally {
    await events.return?.();
  }
  return (await deps.chats.findMessage(message.id)) ?? message;
}
