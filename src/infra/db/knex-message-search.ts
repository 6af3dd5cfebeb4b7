import type { Knex } from 'knex';
import type { Chat } from '../../domain/chat.js';
import type { MessageSearch, Page, PageRequest, SearchMatch } from '../../use-cases/ports.js';
import { ChatRow } from './chat-row.js';
import { MessageRow } from './message-row.js';
import { chatFromRecord, messageFromRecord, type ChatRecord, type ConfigDefaults, type MessageRecord } from './row-mapper.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

const CURSOR_KIND = 'search';

/**
 * InnoDB's default stopword list (MySQL and MariaDB alike). InnoDB does not
 * index these words, and a required term it cannot find empties the whole
 * result, so they are left out of the MySQL query.
 */
const INNODB_STOPWORDS = new Set(
  ('a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www').split(' '),
);

/**
 * Query.search on the index of the message_search migration: FTS5 on SQLite,
 * a FULLTEXT index on MySQL. The index finds the messages holding every term;
 * the join to chats keeps the caller's own; hits come newest first, paged by
 * a keyset cursor on (created_at, chat_id, seq).
 */
export class KnexMessageSearch implements MessageSearch {
  constructor(
    private readonly knex: Knex,
    private readonly configDefaults: ConfigDefaults = { contextStrategy: 'TRUNCATE' },
  ) {}

  async search(userId: string, terms: readonly string[], page: PageRequest): Promise<Page<SearchMatch>> {
    const query = this.knex.client.dialect === 'mysql' ? this.mysqlMatches(terms) : this.sqliteMatches(terms);
    if (query === undefined) return { items: [], hasNextPage: false, endCursor: null, cursors: [] };
    query.join(`${ChatRow.tableName} as c`, 'c.id', 'm.chat_id').where('c.user_id', userId);
    if (page.after !== undefined) {
      const [createdAt, chatId, seq] = decodeCursor(CURSOR_KIND, page.after, ['integer', 'string', 'integer']);
      // (created_at, chat_id, seq) < (after): older, or as old and earlier in the same ordering.
      query.where('m.created_at', '<=', createdAt).where((older) =>
        older
          .where('m.created_at', '<', createdAt)
          .orWhere((tie) => tie.where('m.chat_id', '<', chatId).orWhere((same) => same.where('m.chat_id', chatId).where('m.seq', '<', seq))),
      );
    }
    // A turn's user message and reply share a time: seq puts the reply first, as it came last.
    const rows: MessageRecord[] = await query
      .select('m.*')
      .orderBy([
        { column: 'm.created_at', order: 'desc' },
        { column: 'm.chat_id', order: 'desc' },
        { column: 'm.seq', order: 'desc' },
      ])
      .limit(page.first + 1);
    const items = rows.slice(0, page.first);
    const chats = await this.chatsOf(userId, items);
    const cursors = items.map((row) => encodeCursor(CURSOR_KIND, [Number(row.created_at), row.chat_id, Number(row.seq)]));
    return {
      items: items.map((row) => ({ chat: chats.get(row.chat_id)!, message: messageFromRecord(row) })),
      hasNextPage: rows.length > page.first,
      endCursor: cursors.at(-1) ?? null,
      cursors,
    };
  }

  /** Every term as a quoted prefix: FTS5 syntax in the text is impossible, whatever the terms hold. */
  private sqliteMatches(terms: readonly string[]): Knex.QueryBuilder {
    const expression = terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(' AND ');
    return this.knex('message_search')
      .join(`${MessageRow.tableName} as m`, 'm.rowid', 'message_search.rowid')
      .whereRaw('message_search MATCH ?', [expression]);
  }

  /** Boolean mode, every term required (+) as a prefix (*); undefined when only stopwords are left. */
  private mysqlMatches(terms: readonly string[]): Knex.QueryBuilder | undefined {
    const indexed = terms.filter((term) => !INNODB_STOPWORDS.has(term));
    if (indexed.length === 0) return undefined;
    const expression = indexed.map((term) => `+${term}*`).join(' ');
    return this.knex(`${MessageRow.tableName} as m`)
      .whereRaw('MATCH (m.content) AGAINST (? IN BOOLEAN MODE)', [expression])
      .whereNot('m.role', 'SYSTEM')
      .whereNot('m.status', 'STREAMING');
  }

  private async chatsOf(userId: string, rows: readonly MessageRecord[]): Promise<Map<string, Chat>> {
    const ids = [...new Set(rows.map((row) => row.chat_id))];
    if (ids.length === 0) return new Map();
    const chats: ChatRecord[] = await this.knex(ChatRow.tableName).whereIn('id', ids).where('user_id', userId);
    return new Map(chats.map((row) => [row.id, chatFromRecord(row, this.configDefaults)]));
  }
}
