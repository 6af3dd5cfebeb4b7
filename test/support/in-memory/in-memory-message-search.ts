import { decodeCursor, encodeCursor } from '../../../src/infra/db/keyset-cursor.js';
import { chatFromRecord, messageFromRecord, type ConfigDefaults, type MessageRecord } from '../../../src/infra/db/row-mapper.js';
import type { MessageSearch, Page, PageRequest, SearchMatch } from '../../../src/use-cases/ports.js';
import { pageOf } from './memory-pages.js';
import { compareBytes, type MemoryTables } from './memory-tables.js';

const CURSOR_KIND = 'search';

/** Lower case without accents: "Café" finds "cafe", as both engines' indexes do. */
const folded = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const wordsOf = (text: string): string[] => folded(text).split(/[^\p{L}\p{N}]+/u);

/**
 * Query.search in memory, by scanning: a hit has every term as the start of
 * one of its words, ignoring case and accents (SQLite's FTS5 behaviour; MySQL
 * also drops InnoDB's stopwords, which this does not). System prompts and
 * replies still streaming are not searchable; hits come newest first, paged
 * by KnexMessageSearch's cursor on (created_at, chat_id, seq).
 */
export class InMemoryMessageSearch implements MessageSearch {
  constructor(
    private readonly tables: MemoryTables,
    private readonly configDefaults: ConfigDefaults = { contextStrategy: 'TRUNCATE' },
  ) {}

  async search(userId: string, terms: readonly string[], page: PageRequest): Promise<Page<SearchMatch>> {
    const wanted = terms.map(folded);
    let rows = [...this.tables.messages.values()].filter(
      (row) =>
        row.role !== 'SYSTEM' &&
        row.status !== 'STREAMING' &&
        this.tables.chats.get(row.chat_id)?.user_id === userId &&
        wanted.every((term) => wordsOf(row.content).some((word) => word.startsWith(term))),
    );
    if (page.after !== undefined) {
      const after = decodeCursor(CURSOR_KIND, page.after, ['integer', 'string', 'integer']);
      rows = rows.filter((row) => compareHits(row, { created_at: after[0], chat_id: after[1], seq: after[2] }) > 0);
    }
    rows.sort(compareHits);
    return pageOf(
      rows,
      page.first,
      (row) => ({ chat: chatFromRecord(this.tables.chats.get(row.chat_id)!, this.configDefaults), message: messageFromRecord(row) }),
      (row) => encodeCursor(CURSOR_KIND, [row.created_at, row.chat_id, row.seq]),
    );
  }
}

type HitKey = Pick<MessageRecord, 'created_at' | 'chat_id' | 'seq'>;

/** Newest first; a turn's user message and reply share a time, and seq puts the reply first. */
const compareHits = (a: HitKey, b: HitKey): number => b.created_at - a.created_at || compareBytes(b.chat_id, a.chat_id) || b.seq - a.seq;
