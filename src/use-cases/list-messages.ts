import type { Chat } from '../domain/chat.js';
import type { Message } from '../domain/message.js';
import type { CoreDeps } from './core-deps.js';
import { pageSize } from '../domain/paging.js';
import type { Page } from './ports.js';

/** The ports this use case needs. */
export type ListMessagesDeps = Pick<CoreDeps, 'chats'>;

/** A page of a chat's messages, oldest first; erased ones only on request. */
export interface MessagePageInput {
  readonly first?: number | undefined;
  readonly after?: string | undefined;
  readonly includeErased?: boolean | undefined;
}

/**
 * The messages of a chat the caller already holds from a scoped read (a chat
 * in a list, or one just fetched), without looking the chat up again.
 */
export function listMessagesOf(deps: ListMessagesDeps, chat: Chat, input: MessagePageInput): Promise<Page<Message>> {
  return deps.chats.listMessages(chat.id, {
    first: pageSize(input.first),
    after: input.after,
    includeErased: input.includeErased ?? false,
  });
}
