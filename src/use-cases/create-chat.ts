import type { Chat } from '../domain/chat.js';
import { startChat, type NewChatRequest } from '../domain/start-chat.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this use case needs. */
export type CreateChatDeps = Pick<CoreDeps, 'chats' | 'events' | 'models' | 'personas' | 'defaults' | 'tokens' | 'ids' | 'clock'>;

/** An empty chat: its system message only. */
export async function createChat(deps: CreateChatDeps, request: NewChatRequest): Promise<Chat> {
  const stamp = { chatId: deps.ids.newId(), systemMessageId: deps.ids.newId(), at: deps.clock.now() };
  const { chat, systemMessage } = startChat(request, deps, stamp, (text, encoding) => deps.tokens.count(text, encoding));
  await deps.chats.createChat(chat, systemMessage);
  deps.events.publish({ type: 'chat-updated', chatId: chat.id, chat });
  return chat;
}
