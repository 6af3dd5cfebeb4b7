import type { Knex } from 'knex';
import type { Chat } from '../../domain/chat.js';
import type { ChatArchive, Page, PageRequest } from '../../use-cases/ports.js';
import { ChatRow } from './chat-row.js';
import { chatFromRecord, type ChatRecord, type ConfigDefaults } from './row-mapper.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

const CURSOR_KIND = 'archive';

/** A user's chats oldest first, for exports (see ChatArchive). */
export class KnexChatArchive implements ChatArchive {
  constructor(
    private readonly knex: Knex,
    private readonly configDefaults: ConfigDefaults = { contextStrategy: 'TRUNCATE' },
  ) {}

  async listChatsByCreation(userId: string, page: PageRequest): Promise<Page<Chat>> {
    const query = this.knex<ChatRecord>(ChatRow.tableName).where('user_id', userId);
    if (page.after !== undefined) {
      const [createdAt, id] = decodeCursor(CURSOR_KIND, page.after, ['integer', 'string']);
      // (created_at, id) > (after), with a leading bound the index can seek to.
      query.where('created_at', '>=', createdAt).where((newer) => newer.where('created_at', '>', createdAt).orWhere('id', '>', id));
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(page.first + 1);
    const items = rows.slice(0, page.first);
    const cursors = items.map((row) => encodeCursor(CURSOR_KIND, [Number(row.created_at), row.id]));
    return {
      items: items.map((row) => chatFromRecord(row, this.configDefaults)),
      hasNextPage: rows.length > page.first,
      endCursor: cursors.at(-1) ?? null,
      cursors,
    };
  }
}
