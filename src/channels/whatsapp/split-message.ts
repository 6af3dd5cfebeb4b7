/**
 * Twilio refuses a message body over 1,600 characters (error 21617). It does
 * not say which characters it counts, and its docs warn that emoji "count as
 * multiple characters"; so we count UTF-16 code units (String#length), where
 * an astral character such as an emoji is 2. That is never less than the
 * code-point count, so a part that fits by our measure fits by either.
 */
export const TWILIO_MAX_BODY_LENGTH = 1_600;

/**
 * Splits `text` into ordered parts of at most `maxLength` UTF-16 code units
 * whose concatenation is exactly `text`. Each cut is at the last paragraph
 * break that leaves the part at least half full, else the last such sentence
 * end, else word start, else grapheme boundary; it is never inside a
 * grapheme (ZWJ emoji sequences, flags, combining marks) or a surrogate pair.
 * Whitespace at a cut stays at the end of the earlier part, so every later
 * part starts with its first visible character.
 */
export function splitMessage(text: string, maxLength = TWILIO_MAX_BODY_LENGTH): string[] {
  if (!Number.isSafeInteger(maxLength) || maxLength < 2) throw new RangeError('maxLength must be an integer of at least 2');
  if (text.length === 0) return [];
  if (text.length <= maxLength) return [text];

  const cuts = new CutPoints(text);
  const parts: string[] = [];
  let start = 0;
  while (text.length - start > maxLength) {
    const limit = start + maxLength;
    const atLeast = start + Math.ceil(maxLength / 2);
    const end =
      cuts.paragraphs.lastBetween(atLeast, limit) ??
      cuts.sentences.lastBetween(atLeast, limit) ??
      cuts.words.lastBetween(atLeast, limit) ??
      cuts.graphemes.lastBetween(start + 1, limit) ??
      codePointCut(text, limit);
    parts.push(text.slice(start, end));
    start = end;
  }
  parts.push(text.slice(start));
  return parts;
}

const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });
const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
/** A blank line (possibly with spaces on it) and the whitespace after it. */
const PARAGRAPH_BREAK = /\r?\n[^\S\r\n]*\r?\n\s*/g;
const WHITESPACE_ONLY = /^\s+$/;

/** The positions where a part may end, by kind, each restricted to grapheme boundaries. */
class CutPoints {
  readonly graphemes: Positions;
  readonly words: Positions;
  readonly sentences: Positions;
  readonly paragraphs: Positions;

  constructor(text: string) {
    const graphemeStarts: number[] = [];
    for (const { index } of graphemeSegmenter.segment(text)) graphemeStarts.push(index);
    graphemeStarts.push(text.length);
    const isGrapheme = new Set(graphemeStarts);
    const onGrapheme = (positions: Iterable<number>) => new Positions([...positions].filter((p) => isGrapheme.has(p)));

    this.graphemes = new Positions(graphemeStarts);
    this.words = onGrapheme(wordStarts(text));
    this.sentences = onGrapheme(Array.from(sentenceSegmenter.segment(text), (s) => s.index));
    this.paragraphs = onGrapheme(Array.from(text.matchAll(PARAGRAPH_BREAK), (m) => m.index + m[0].length));
  }
}

/** Starts of segments that follow whitespace: cutting there leaves the space behind the earlier part. */
function* wordStarts(text: string): Generator<number> {
  let previousWasSpace = false;
  for (const { index, segment } of wordSegmenter.segment(text)) {
    if (previousWasSpace && !WHITESPACE_ONLY.test(segment)) yield index;
    previousWasSpace = WHITESPACE_ONLY.test(segment);
  }
}

/** Sorted positions with a "last one in a range" lookup. */
class Positions {
  constructor(private readonly sorted: readonly number[]) {}

  lastBetween(min: number, max: number): number | undefined {
    let low = 0;
    let high = this.sorted.length - 1;
    let found: number | undefined;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.sorted[mid]!;
      if (value <= max) {
        found = value;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found !== undefined && found >= min ? found : undefined;
  }
}

/** Only for a single grapheme longer than a whole part (hundreds of combining marks): cut it, but not a surrogate pair. */
function codePointCut(text: string, limit: number): number {
  const before = text.charCodeAt(limit - 1);
  const isHighSurrogate = before >= 0xd800 && before <= 0xdbff;
  return isHighSurrogate ? limit - 1 : limit;
}
