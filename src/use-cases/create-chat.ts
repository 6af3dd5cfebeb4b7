import type { Chat } from '../domain/chat.js';
import type { CoreDeps } from './core-deps.js';
import { prepareNewChat, type NewChatInput } from './new-chat.js';

export async function createChat(deps: CoreDeps, input: NewChatInput): Promise<Chat> {
  const { chat, systemMessage } = prepareNewChat(deps, input);
  await deps.chats.createChat(chat, systemMessage);
  deps.events.publish({ type: 'chat-updated', chatId: chat.id, chat });
  return chat;
}
