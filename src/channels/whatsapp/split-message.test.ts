import { describe, expect, it } from 'vitest';
import { splitMessage, TWILIO_MAX_BODY_LENGTH } from './split-message.js';

const FAMILY = '👩‍👩‍👧‍👦'; // ZWJ sequence, 11 code units
const RAINBOW_FLAG = '🏳️‍🌈'; // ZWJ with a variation selector
const CODER = '👩🏽‍💻'; // skin tone + ZWJ
const SCOTLAND = '🏴󠁧󠁢󠁳󠁣󠁴󠁿'; // tag sequence, 14 code units
const FLAGS = ['🇺🇸', '🇯🇵', '🇧🇷', '🇩🇪'];
const DECOMPOSED_E = 'e\u0301';
const G_CLEF = '𝄞';

const graphemes = (text: string): string[] =>
  Array.from(new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text), (s) => s.segment);

/** What must hold for every split: exact reassembly, size, and cuts only between graphemes. */
function expectValidSplit(text: string, parts: string[], maxLength: number): void {
  expect(parts.join('')).toBe(text);
  const starts = new Set<number>();
  let position = 0;
  for (const g of graphemes(text)) {
    starts.add(position);
    position += g.length;
  }
  starts.add(text.length);
  let cut = 0;
  for (const part of parts) {
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThanOrEqual(maxLength);
    cut += part.length;
    expect(starts.has(cut), `cut at ${cut} splits a grapheme`).toBe(true);
    expect(/^[\uDC00-\uDFFF]/.test(part), 'part starts with a low surrogate').toBe(false);
    expect(/[\uD800-\uDBFF]$/.test(part), 'part ends with a high surrogate').toBe(false);
  }
}

/** A deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TOKENS = [
  'the', 'model', 'answers', 'café', 'naïve', 'Zürich', '東京', 'ok', DECOMPOSED_E, G_CLEF,
  FAMILY, RAINBOW_FLAG, CODER, SCOTLAND, ...FLAGS, '😀', '🎉',
];
const SEPARATORS = [' ', ' ', ' ', ' ', ', ', '. ', '! ', '? ', '\n', '\n\n', ' — '];

/** Text of at least `length` code units mixing words, emoji of every kind and punctuation. */
function mixedText(length: number, seed: number): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  let text = '';
  while (text.length < length) text += pick(TOKENS) + pick(SEPARATORS);
  return text;
}

function sentences(count: number, seed: number): string {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const words = Array.from({ length: 6 + Math.floor(next() * 14) }, () => TOKENS[Math.floor(next() * 8)]!);
    out.push(`${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`);
  }
  return out.join(' ');
}

describe('splitMessage', () => {
  it('returns a text within the limit as it is, and nothing for an empty text', () => {
    expect(splitMessage('Hello 👋')).toEqual(['Hello 👋']);
    expect(splitMessage('')).toEqual([]);
  });

  it('counts UTF-16 code units: 1,600 fit in one part, 1,601 need two', () => {
    expect(TWILIO_MAX_BODY_LENGTH).toBe(1_600);
    expect(splitMessage('a'.repeat(1_600))).toHaveLength(1);
    expect(splitMessage('😀'.repeat(800))).toHaveLength(1);
    const parts = splitMessage('😀'.repeat(801));
    expect(parts).toHaveLength(2);
    expectValidSplit('😀'.repeat(801), parts, 1_600);
  });

  it('splits 5,000 characters with ZWJ emoji, flags and combining marks into parts of at most 1,600 that concatenate exactly', () => {
    const text = mixedText(5_000, 42);
    expect(text.length).toBeGreaterThanOrEqual(5_000);
    for (const emoji of [FAMILY, RAINBOW_FLAG, CODER, SCOTLAND, FLAGS[0]!]) expect(text).toContain(emoji);
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expectValidSplit(text, parts, 1_600);
  });

  it('cuts at paragraph breaks first, keeping the blank line with the earlier part', () => {
    const paragraphs = [sentences(30, 1), sentences(30, 2), sentences(30, 3)].map((p) => p.slice(0, 1_000));
    const text = paragraphs.join('\n\n');
    const parts = splitMessage(text);
    expect(parts).toEqual([`${paragraphs[0]}\n\n`, `${paragraphs[1]}\n\n`, paragraphs[2]]);
  });

  it('treats a line with only spaces on it, and CRLF line ends, as a paragraph break', () => {
    const first = 'A'.repeat(1_000);
    const second = 'B'.repeat(1_000);
    expect(splitMessage(`${first}\r\n  \r\n${second}`)).toEqual([`${first}\r\n  \r\n`, second]);
  });

  it('cuts a paragraph too long for one part at sentence ends', () => {
    const text = sentences(120, 7);
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    expectValidSplit(text, parts, 1_600);
    for (const part of parts.slice(0, -1)) expect(part).toMatch(/\.\s$/);
    for (const part of parts.slice(1)) expect(part).toMatch(/^\S/);
  });

  it('cuts a sentence too long for one part between words, never inside one', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    expectValidSplit(text, parts, 1_600);
    for (const part of parts.slice(0, -1)) expect(part).toMatch(/\s$/);
    expect(parts.flatMap((p) => p.trim().split(/\s+/))).toEqual(words);
  });

  it('does not cut at an early paragraph break that would leave a tiny part', () => {
    const text = `Hi.\n\n${sentences(100, 9)}`;
    const [first] = splitMessage(text);
    expect(first!.length).toBeGreaterThan(800);
  });

  it('cuts text without spaces between graphemes: ZWJ families stay whole', () => {
    const text = FAMILY.repeat(500);
    const parts = splitMessage(text);
    expectValidSplit(text, parts, 1_600);
    for (const part of parts) expect(part.length % FAMILY.length).toBe(0);
  });

  it('never separates the two regional indicators of a flag', () => {
    const text = FLAGS.join('').repeat(300);
    const parts = splitMessage(text);
    expectValidSplit(text, parts, 1_600);
    for (const part of parts) expect(part.length % 4).toBe(0);
  });

  it('never separates a tag-sequence flag or an emoji from its skin tone', () => {
    for (const emoji of [SCOTLAND, CODER, RAINBOW_FLAG]) {
      const text = emoji.repeat(Math.ceil(4_000 / emoji.length));
      const parts = splitMessage(text);
      expectValidSplit(text, parts, 1_600);
      for (const part of parts) expect(part.length % emoji.length).toBe(0);
    }
  });

  it('cuts a single grapheme longer than a part without breaking a surrogate pair', () => {
    const combining = `e${'\u0301'.repeat(3_000)}`;
    const parts = splitMessage(combining);
    expect(parts.join('')).toBe(combining);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1_600);

    // An astral combining mark (U+1D167): every cut falls between two surrogate pairs.
    for (const max of [1_600, 1_599, 7, 2]) {
      const astral = `a${'\u{1D167}'.repeat(1_000)}`;
      const pieces = splitMessage(astral, max);
      expect(pieces.join('')).toBe(astral);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(max);
        expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      }
    }
  });

  it('keeps every invariant on random texts and limits', () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const next = random(seed);
      const text = mixedText(500 + Math.floor(next() * 8_000), seed);
      const max = [1_600, 160, 41, 16][seed % 4]!;
      expectValidSplit(text, splitMessage(text, max), max);
    }
  });

  it('refuses a limit too small to hold a surrogate pair', () => {
    expect(() => splitMessage('abc', 1)).toThrow(RangeError);
  });
});
