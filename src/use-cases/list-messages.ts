import type { Chat } from '../domain/chat.js';
import type { Message } from '../domain/message.js';
import type { CoreDeps } from './core-deps.js';
import { getChat } from './get-chat.js';
import { pageSize } from './paging.js';
import type { Page } from './ports.js';

export interface ListMessagesInput {
  readonly userId: string;
  readonly chatId: string;
  readonly first?: number | undefined;
  readonly after?: string | undefined;
  readonly includeErased?: boolean | undefined;
}

export type MessagePageInput = Omit<ListMessagesInput, 'userId' | 'chatId'>;

/** A chat's messages, oldest first; erased ones only on request. */
export async function listMessages(deps: CoreDeps, input: ListMessagesInput): Promise<Page<Message>> {
  const first = pageSize(input.first);
  const chat = await getChat(deps, input.userId, input.chatId);
  return listMessagesOf(deps, chat, { ...input, first });
}

/**
 * The messages of a chat the caller already holds from a scoped read (a chat
 * in a list, or one just fetched), without looking the chat up again.
 */
export function listMessagesOf(deps: CoreDeps, chat: Chat, input: MessagePageInput): Promise<Page<Message>> {
  return deps.chats.listMessages(chat.id, {
    first: pageSize(input.first),
    after: input.after,
    includeErased: input.includeErased ?? false,
  });
}
