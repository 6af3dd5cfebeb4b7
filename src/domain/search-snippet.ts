/** A span of a snippet, in UTF-16 code units (JavaScript string offsets). */
export interface TextRange {
  readonly start: number;
  readonly length: number;
}

/** The part of a message around what a search found, with the words it matched. */
export interface Snippet {
  readonly text: string;
  readonly highlights: readonly TextRange[];
}

/** Longest snippet, before the ellipses. */
export const SNIPPET_LENGTH = 160;
/** How much text comes before the first match, so it reads in context. */
const LEAD = 50;
const ELLIPSIS = '…';
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * The snippet of `content` for a search of `terms`: a window around the first
 * word that starts with a term, whitespace collapsed, cut at word boundaries,
 * with every matching word in it highlighted. Matching ignores case and
 * accents, as both stores' indexes do, so what the index found is what is
 * highlighted. Computed here rather than by a store, so both stores return
 * the same snippet.
 */
export function snippetOf(content: string, terms: readonly string[]): Snippet {
  const folded = terms.map(fold);
  const matches: TextRange[] = [];
  for (const word of content.matchAll(WORD)) {
    const key = fold(word[0]);
    if (folded.some((term) => key.startsWith(term))) matches.push({ start: word.index, length: word[0].length });
  }
  const from = windowStart(content, matches[0]?.start ?? 0);
  const to = windowEnd(content, from);
  return collapse(content, from, to, matches);
}

/** Lower case without accents: "Café" and "cafe" are one key, as in unicode61/remove_diacritics and *_unicode_ci. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function windowStart(content: string, firstMatch: number): number {
  if (firstMatch <= LEAD) return 0;
  const space = content.slice(firstMatch - LEAD, firstMatch).search(/\s/);
  return space === -1 ? safeBoundary(content, firstMatch - LEAD) : firstMatch - LEAD + space + 1;
}

function windowEnd(content: string, from: number): number {
  const limit = from + SNIPPET_LENGTH;
  if (limit >= content.length) return content.length;
  const lastSpace = content.slice(from, limit).search(/\s\S*$/);
  return lastSpace > SNIPPET_LENGTH / 2 ? from + lastSpace : safeBoundary(content, limit);
}

/** Never between the two halves of a surrogate pair. */
function safeBoundary(content: string, index: number): number {
  const code = content.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/** The window's text with runs of whitespace as one space, highlights moved to match. */
function collapse(content: string, from: number, to: number, matches: readonly TextRange[]): Snippet {
  const prefix = from > 0 ? ELLIPSIS : '';
  let text = prefix;
  // Where each character of the window lands in `text`.
  const position: number[] = [];
  let pendingSpace = false;
  for (let index = from; index < to; index += 1) {
    const char = content[index]!;
    if (/\s/.test(char)) {
      position.push(text.length);
      pendingSpace = text.length > prefix.length;
      continue;
    }
    if (pendingSpace) text += ' ';
    pendingSpace = false;
    position.push(text.length);
    text += char;
  }
  if (to < content.length) text += ELLIPSIS;
  const highlights = matches
    .filter((match) => match.start >= from && match.start + match.length <= to)
    .map((match) => ({ start: position[match.start - from]!, length: match.length }));
  return { text, highlights };
}
