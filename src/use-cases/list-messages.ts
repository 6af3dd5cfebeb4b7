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

/** A chat's messages, oldest first; erased ones only on request. */
export async function listMessages(deps: CoreDeps, input: ListMessagesInput): Promise<Page<Message>> {
  const first = pageSize(input.first);
  await getChat(deps, input.userId, input.chatId);
  return deps.chats.listMessages(input.chatId, {
    first,
    after: input.after,
    includeErased: input.includeErased ?? false,
  });
}
