import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { BpeCounter } from './bpe-counter.js';

/** A small deterministic PRNG, so a failure names a reproducible case. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

// Letters, digits, spaces, punctuation, accents, CJK, emoji with ZWJ and flags, and special-token text.
const ALPHABET = ['a', 'b', 'e', 'T', 'z', ' ', ' ', '\n', '\t', '0', '7', '.', ',', "'s", '-', '_', '(', ')', 'é', 'ñ', 'ü', 'ß', 'お', '誕', '生', 'д', 'я', '😀', '👩🏽‍💻', '🇵🇹', '<|endoftext|>', 'http://', '=>'];

describe.each([
  ['cl100k_base', cl100kBase],
  ['o200k_base', o200kBase],
] as const)('BpeCounter on %s', (_name, ranks) => {
  const reference = new Tiktoken(ranks);
  const counter = new BpeCounter(ranks);
  const referenceCount = (text: string) => reference.encode(text, [], []).length;

  it('counts exactly as js-tiktoken encodes, over 500 random texts', () => {
    const next = random(42);
    for (let i = 0; i < 500; i++) {
      const length = 1 + Math.floor(next() * 80);
      const text = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      expect(counter.count(text), JSON.stringify(text)).toBe(referenceCount(text));
    }
  });

  it.each([
    ['a long run of one letter', 'a'.repeat(3_000)],
    ['a DNA sequence', 'ACGT'.repeat(500)],
    ['a run of emoji', '😀'.repeat(300)],
    ['a run of punctuation', '!?'.repeat(1_000)],
    ['base64', Buffer.from('x'.repeat(3_000)).toString('base64')],
    ['nothing', ''],
  ])('counts %s exactly', (_label, text) => {
    expect(counter.count(text)).toBe(referenceCount(text));
  });

  it('counts a 20,000-letter run (js-tiktoken itself needs about 25 s for it)', () => {
    expect(counter.count('a'.repeat(20_000))).toBe(2_500);
  });
});
