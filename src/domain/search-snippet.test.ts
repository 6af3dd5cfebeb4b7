import { describe, expect, it } from 'vitest';
import { SNIPPET_LENGTH, snippetOf } from './search-snippet.js';

const marked = ({ text, highlights }: ReturnType<typeof snippetOf>) => {
  let out = '';
  let at = 0;
  for (const { start, length } of highlights) {
    out += `${text.slice(at, start)}[${text.slice(start, start + length)}]`;
    at = start + length;
  }
  return out + text.slice(at);
};

describe('snippetOf', () => {
  it('highlights every word that starts with a term, ignoring case and accents', () => {
    expect(marked(snippetOf('Streams stream; CAFÉ and cafe, upstream.', ['stream', 'cafe']))).toBe(
      '[Streams] [stream]; [CAFÉ] and [cafe], upstream.',
    );
  });

  it('shows the text around the first match, cut at word boundaries, with ellipses', () => {
    const before = Array.from({ length: 60 }, (_, i) => `before${i}`).join(' ');
    const after = Array.from({ length: 60 }, (_, i) => `after${i}`).join(' ');
    const snippet = snippetOf(`${before} needle ${after}`, ['needle']);
    expect(snippet.text.startsWith('…before')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    expect(marked(snippet)).toContain('[needle] after0');
    // Whole words only at both ends.
    expect(snippet.text.slice(1).split(' ')[0]).toMatch(/^before\d+$/);
  });

  it('collapses whitespace and keeps the highlights on their words', () => {
    expect(marked(snippetOf('one\n\n  two\tthree', ['two', 'three']))).toBe('one [two] [three]');
  });

  it('starts at the beginning when nothing matches, and never splits a surrogate pair', () => {
    const emoji = '🎉'.repeat(200);
    const snippet = snippetOf(emoji, ['zzz']);
    expect(snippet.highlights).toEqual([]);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.text.slice(0, -1)).toBe('🎉'.repeat(snippet.text.slice(0, -1).length / 2));
  });
});
