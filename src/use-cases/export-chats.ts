import type { Chat } from '../domain/chat.js';
import type { Message } from '../domain/message.js';
import type { CoreDeps } from './core-deps.js';
import { getChat } from './get-chat.js';

/** The ports this use case needs. */
export type ExportChatsDeps = Pick<CoreDeps, 'archive' | 'chats'>;

/** One chat of an export: the chat, and its messages (erased ones included) read page by page as they are written out. */
export interface ChatExport {
  readonly chat: Chat;
  readonly messages: AsyncIterable<Message>;
}

/** Rows per store read: an export of any size holds one page in memory at a time. */
const EXPORT_PAGE = 100;

/** The caller's chat to export; NOT_FOUND (another user's chat included) before anything is written. */
export async function chatToExport(deps: ExportChatsDeps, userId: string, chatId: string): Promise<ChatExport> {
  const chat = await getChat(deps, userId, chatId);
  return { chat, messages: messagesOf(deps, chat) };
}

/** Every chat of the caller, oldest first, each with its messages. */
export async function* chatsToExport(deps: ExportChatsDeps, userId: string): AsyncGenerator<ChatExport> {
  let after: string | undefined;
  for (;;) {
    const page = await deps.archive.listChatsByCreation(userId, { first: EXPORT_PAGE, after });
    for (const chat of page.items) yield { chat, messages: messagesOf(deps, chat) };
    if (!page.hasNextPage || page.endCursor === null) return;
    after = page.endCursor;
  }
}

async function* messagesOf(deps: ExportChatsDeps, chat: Chat): AsyncGenerator<Message> {
  let after: string | undefined;
  for (;;) {
    const page = await deps.chats.listMessages(chat.id, { first: EXPORT_PAGE, after, includeErased: true });
    yield* page.items;
    if (!page.hasNextPage || page.endCursor === null) return;
    after = page.endCursor;
  }
}
