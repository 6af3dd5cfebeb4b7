import { invalidInput } from './errors.js';

/** The longest search a caller may send, in characters. */
export const MAX_SEARCH_LENGTH = 200;
/** More words than this narrow nothing a person would notice, and cost the index a lookup each. */
export const MAX_SEARCH_TERMS = 8;
/** A longer "word" is not language (a hash, a base64 blob): it is cut to this length and matched as a prefix. */
export const MAX_TERM_LENGTH = 64;

/**
 * What a search looks for: words, each of which a hit must contain as the
 * start of one of its words ("stream" finds "streaming"). Only letters,
 * digits and combining marks reach a store, never the caller's own syntax:
 * quotes, operators, parentheses and column filters of FTS5 or MySQL's
 * boolean mode are separators here, so a query cannot be injected.
 */
export interface SearchQuery {
  /** Lower-cased, NFKC-normalised, distinct, in the caller's order. */
  readonly terms: readonly string[];
}

// A word starts with a letter or digit; combining marks belong to the letter before them.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

/** Validates a caller's search text; INVALID_INPUT when it is empty, too long or has no word in it. */
export function parseSearchQuery(text: string): SearchQuery {
  if (text.length > MAX_SEARCH_LENGTH) throw invalidInput(`query must be at most ${MAX_SEARCH_LENGTH} characters`);
  const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  if (words.length === 0) throw invalidInput('query must contain at least one letter or digit');
  const terms = [...new Set(words.map((word) => Array.from(word).slice(0, MAX_TERM_LENGTH).join('')))];
  if (terms.length > MAX_SEARCH_TERMS) throw invalidInput(`query must have at most ${MAX_SEARCH_TERMS} words`);
  return { terms };
}
