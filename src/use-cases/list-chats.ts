import type { Chat } from '../domain/chat.js';
import type { CoreDeps } from './core-deps.js';
import { pageSize } from '../domain/paging.js';
import type { Page } from './ports.js';

/** The ports this use case needs. */
export type ListChatsDeps = Pick<CoreDeps, 'chats'>;

export interface ListChatsInput {
  readonly userId: string;
  readonly first?: number | undefined;
  readonly after?: string | undefined;
}

/** The caller's chats, most recent activity first. */
export function listChats(deps: ListChatsDeps, input: ListChatsInput): Promise<Page<Chat>> {
  return deps.chats.listChats(input.userId, { first: pageSize(input.first), after: input.after });
}
