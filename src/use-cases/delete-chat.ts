import { DomainError, notFound } from '../domain/errors.js';
import { isLeaseLive } from '../domain/reply-lease.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this use case needs. */
export type DeleteChatDeps = Pick<CoreDeps, 'chats' | 'clock' | 'events' | 'replies'>;

/** Deletes a chat with all its messages. A chat with a reply in progress (in any process) must be stopped first. */
export async function deleteChat(deps: DeleteChatDeps, userId: string, chatId: string): Promise<void> {
  const busyHere = deps.replies.isBusy(chatId);
  const pending = busyHere ? undefined : await deps.chats.findStreamingReply(chatId);
  if ((busyHere || isLeaseLive(pending?.lease ?? null, deps.clock.now())) && (await deps.chats.findChat(userId, chatId))) {
    throw new DomainError('CHAT_BUSY', 'A reply is still being produced in this chat; stop it first');
  }
  if (!(await deps.chats.deleteChat(userId, chatId))) throw notFound('Chat');
  deps.events.publish({ type: 'chat-deleted', chatId });
}
