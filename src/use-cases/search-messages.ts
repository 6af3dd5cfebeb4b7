import type { Chat } from '../domain/chat.js';
import type { Message } from '../domain/message.js';
import { parseSearchQuery } from '../domain/search-query.js';
import { snippetOf, type Snippet } from '../domain/search-snippet.js';
import type { CoreDeps } from './core-deps.js';
import { pageSize } from '../domain/paging.js';
import type { Page } from './ports.js';

/** The ports this use case needs. */
export type SearchMessagesDeps = Pick<CoreDeps, 'search'>;

export interface SearchMessagesInput {
  readonly userId: string;
  /** The caller's words; validated here (see parseSearchQuery). */
  readonly query: string;
  readonly first?: number | undefined;
  readonly after?: string | undefined;
}

export interface SearchHit {
  readonly chat: Chat;
  readonly message: Message;
  readonly snippet: Snippet;
}

/** The caller's messages that contain every word of the query (as word starts), newest first. */
export async function searchMessages(deps: SearchMessagesDeps, input: SearchMessagesInput): Promise<Page<SearchHit>> {
  const { terms } = parseSearchQuery(input.query);
  const page = await deps.search.search(input.userId, terms, { first: pageSize(input.first), after: input.after });
  return { ...page, items: page.items.map((match) => ({ ...match, snippet: snippetOf(match.message.content, terms) })) };
}
