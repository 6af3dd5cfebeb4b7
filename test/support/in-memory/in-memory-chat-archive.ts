import type { Chat } from '../../../src/domain/chat.js';
import { decodeCursor, encodeCursor } from '../../../src/infra/db/keyset-cursor.js';
import { chatFromRecord, type ChatRecord, type ConfigDefaults } from '../../../src/infra/db/row-mapper.js';
import type { ChatArchive, Page, PageRequest } from '../../../src/use-cases/ports.js';
import { pageOf } from './memory-pages.js';
import { compareBytes, type MemoryTables } from './memory-tables.js';

const CURSOR_KIND = 'archive';

/** A user's chats oldest first, for exports, in memory (KnexChatArchive's order and cursors). */
export class InMemoryChatArchive implements ChatArchive {
  constructor(
    private readonly tables: MemoryTables,
    private readonly configDefaults: ConfigDefaults = { contextStrategy: 'TRUNCATE' },
  ) {}

  async listChatsByCreation(userId: string, page: PageRequest): Promise<Page<Chat>> {
    let rows = [...this.tables.chats.values()].filter((row) => row.user_id === userId);
    if (page.after !== undefined) {
      const [createdAt, id] = decodeCursor(CURSOR_KIND, page.after, ['integer', 'string']);
      // (created_at, id) > (after).
      rows = rows.filter((row) => row.created_at > createdAt || (row.created_at === createdAt && compareBytes(row.id, id) > 0));
    }
    rows.sort((a, b) => a.created_at - b.created_at || compareBytes(a.id, b.id));
    return pageOf(
      rows,
      page.first,
      (row) => chatFromRecord(row, this.configDefaults),
      (row: ChatRecord) => encodeCursor(CURSOR_KIND, [row.created_at, row.id]),
    );
  }
}
