import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { MAX_SEARCH_LENGTH, MAX_SEARCH_TERMS, MAX_TERM_LENGTH, parseSearchQuery } from './search-query.js';

const refusal = (text: string) => {
  try {
    parseSearchQuery(text);
  } catch (error) {
    return error instanceof DomainError ? error.code : error;
  }
  return 'accepted';
};

describe('parseSearchQuery', () => {
  it('keeps the words, lower-cased and distinct, in order', () => {
    expect(parseSearchQuery('  Streaming  replies, streaming! ').terms).toEqual(['streaming', 'replies']);
  });

  it('turns every piece of FTS5 or MySQL boolean syntax into a separator', () => {
    expect(parseSearchQuery(`"a" OR b* NEAR(c d) content:e`).terms).toEqual(['a', 'or', 'b', 'near', 'c', 'd', 'content', 'e']);
    expect(parseSearchQuery(`-f +g ~h <i >j (k) 'l' \\ @m`).terms).toEqual(['f', 'g', 'h', 'i', 'j', 'k', 'l', 'm']);
    expect(parseSearchQuery(`x'); DROP TABLE messages; --`).terms).toEqual(['x', 'drop', 'table', 'messages']);
  });

  it('reads letters and digits of every script, combining marks included', () => {
    expect(parseSearchQuery('Café 東京 naïve 42').terms).toEqual(['café', '東京', 'naïve', '42']);
    // NFKC: a ligature and a full-width digit are the plain letters.
    expect(parseSearchQuery('ﬁle ４').terms).toEqual(['file', '4']);
  });

  it('refuses an empty, wordless, too long or too wordy query as INVALID_INPUT', () => {
    expect(refusal('')).toBe('INVALID_INPUT');
    expect(refusal(' "*" () -- ')).toBe('INVALID_INPUT');
    expect(refusal('a'.repeat(MAX_SEARCH_LENGTH + 1))).toBe('INVALID_INPUT');
    expect(refusal(Array.from({ length: MAX_SEARCH_TERMS + 1 }, (_, i) => `w${i}`).join(' '))).toBe('INVALID_INPUT');
    expect(refusal(Array.from({ length: MAX_SEARCH_TERMS }, (_, i) => `w${i}`).join(' '))).toBe('accepted');
  });

  it('cuts a very long word to a prefix', () => {
    expect(parseSearchQuery('x'.repeat(150)).terms).toEqual(['x'.repeat(MAX_TERM_LENGTH)]);
  });
});
