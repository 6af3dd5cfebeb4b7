import type { ChatEvent } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import { getChat, type GetChatDeps } from './get-chat.js';

/** The ports this use case needs. */
export type WatchChatDeps = Pick<CoreDeps, 'events'> & GetChatDeps;

/** Live events of one of the caller's chats, from every channel. */
export async function watchChat(
  deps: WatchChatDeps,
  userId: string,
  chatId: string,
  signal?: AbortSignal,
): Promise<AsyncIterable<ChatEvent>> {
  await getChat(deps, userId, chatId);
  return await deps.events.subscribe(chatId, signal);
}
