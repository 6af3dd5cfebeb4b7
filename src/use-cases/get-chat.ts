import type { Chat } from '../domain/chat.js';
import { notFound } from '../domain/errors.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this use case needs. */
export type GetChatDeps = Pick<CoreDeps, 'chats'>;

/** The caller's chat, or undefined: another user's chat does not exist for them. */
export async function findChat(deps: GetChatDeps, userId: string, chatId: string): Promise<Chat | undefined> {
  return deps.chats.findChat(userId, chatId);
}

export async function getChat(deps: GetChatDeps, userId: string, chatId: string): Promise<Chat> {
  const chat = await deps.chats.findChat(userId, chatId);
  if (!chat) throw notFound('Chat');
  return chat;
}
