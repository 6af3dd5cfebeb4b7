import { normalizeTitle, type Chat } from '../domain/chat.js';
import { mergeChatConfig, type ChatConfig, type ChatConfigPatch } from '../domain/chat-config.js';
import { notFound } from '../domain/errors.js';
import type { CoreDeps } from './core-deps.js';
import { assertReplyBudgetFits } from '../domain/reply-budget.js';

/** The ports this use case needs. */
export type UpdateChatDeps = Pick<CoreDeps, 'chats' | 'clock' | 'events' | 'models'>;

export async function renameChat(deps: UpdateChatDeps, userId: string, chatId: string, title: string): Promise<Chat> {
  return update(deps, userId, chatId, { title: normalizeTitle(title) });
}

/** Ends a chat: it stays readable and accepts no new message. Ending twice is harmless. */
export async function endChat(deps: UpdateChatDeps, userId: string, chatId: string): Promise<Chat> {
  return update(deps, userId, chatId, { status: 'ENDED' });
}

/**
 * Changes a chat's config for every later turn (a turn's own config patch
 * applies to that turn only). Validated like a new chat's.
 */
export async function updateChatConfig(deps: UpdateChatDeps, userId: string, chatId: string, patch: ChatConfigPatch): Promise<Chat> {
  const chat = await deps.chats.findChat(userId, chatId);
  if (!chat) throw notFound('Chat');
  const config = mergeChatConfig(chat.config, patch);
  assertReplyBudgetFits(config, deps.models.resolve(chat.model).spec);
  return update(deps, userId, chatId, { config });
}

async function update(
  deps: UpdateChatDeps,
  userId: string,
  chatId: string,
  patch: { title?: string; status?: Chat['status']; config?: ChatConfig },
) {
  const chat = await deps.chats.updateChat(userId, chatId, { ...patch, updatedAt: deps.clock.now() });
  if (!chat) throw notFound('Chat');
  deps.events.publish({ type: 'chat-updated', chatId, chat });
  return chat;
}
