import { DomainError, notFound } from '../domain/errors.js';
import type { CoreDeps } from './core-deps.js';

/** Deletes a chat with all its messages. A chat with a reply in progress must be stopped first. */
export async function deleteChat(deps: CoreDeps, userId: string, chatId: string): Promise<void> {
  if (deps.replies.isBusy(chatId) && (await deps.chats.findChat(userId, chatId))) {
    throw new DomainError('CHAT_BUSY', 'A reply is still being produced in this chat; stop it first');
  }
  if (!(await deps.chats.deleteChat(userId, chatId))) throw notFound('Chat');
  deps.events.publish({ type: 'chat-deleted', chatId });
}
