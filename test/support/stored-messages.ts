import type { Message } from '../../src/domain/message.js';
import type { Page } from '../../src/use-cases/ports.js';
import type { ChatCore } from '../../src/use-cases/chat-core.js';

export interface StoredMessagesQuery {
  readonly userId: string;
  readonly chatId: string;
  /** Default 100: tests read whole chats. */
  readonly first?: number;
  readonly includeErased?: boolean;
}

/** What the store holds for a user's chat, as a channel would list it: how tests check a turn's outcome. */
export async function storedMessages(core: Pick<ChatCore, 'getChat' | 'listMessagesOf'>, query: StoredMessagesQuery): Promise<Page<Message>> {
  const chat = await core.getChat(query.userId, query.chatId);
  return core.listMessagesOf(chat, { first: query.first ?? 100, includeErased: query.includeErased ?? false });
}
