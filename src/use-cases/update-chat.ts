import { normalizeTitle, type Chat } from '../domain/chat.js';
import { notFound } from '../domain/errors.js';
import type { CoreDeps } from './core-deps.js';

export async function renameChat(deps: CoreDeps, userId: string, chatId: string, title: string): Promise<Chat> {
  return update(deps, userId, chatId, { title: normalizeTitle(title) });
}

/** Ends a chat: it stays readable and accepts no new message. Ending twice is harmless. */
export async function endChat(deps: CoreDeps, userId: string, chatId: string): Promise<Chat> {
  return update(deps, userId, chatId, { status: 'ENDED' });
}

async function update(deps: CoreDeps, userId: string, chatId: string, patch: { title?: string; status?: Chat['status'] }) {
  const chat = await deps.chats.updateChat(userId, chatId, { ...patch, updatedAt: deps.clock.now() });
  if (!chat) throw notFound('Chat');
  deps.events.publish({ type: 'chat-updated', chatId, chat });
  return chat;
}
