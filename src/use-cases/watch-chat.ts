import type { ChatEvent } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import { getChat } from './get-chat.js';

/** Live events of one of the caller's chats, from every channel. */
export async function watchChat(
  deps: CoreDeps,
  userId: string,
  chatId: string,
  signal?: AbortSignal,
): Promise<AsyncIterable<ChatEvent>> {
  await getChat(deps, userId, chatId);
  return await deps.events.subscribe(chatId, signal);
}
