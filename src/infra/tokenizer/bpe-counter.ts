/** The public data of an OpenAI encoding, as js-tiktoken ships it. */
export interface EncodingRanks {
  readonly pat_str: string;
  readonly bpe_ranks: string;
}

const utf8 = new TextEncoder();

/**
 * Counts the tokens of a text exactly as tiktoken encodes it (special tokens
 * treated as ordinary text), without building the token list.
 *
 * tiktoken merges the byte pair of lowest rank, leftmost first, until no pair
 * has a rank. js-tiktoken rescans the whole piece after every merge, which is
 * quadratic: one unbroken run (20,000 letters, a DNA sequence, 1,600 emoji)
 * blocks the event loop for seconds. Here the candidate pairs sit in a heap
 * ordered by (rank, position), so the same merges happen in the same order in
 * O(n log n). Tests check the counts against js-tiktoken itself.
 */
export class BpeCounter {
  /** Token bytes (as a latin1 string, one char per byte) to rank. */
  private readonly ranks = new Map<string, number>();
  private readonly pattern: RegExp;

  constructor(data: EncodingRanks) {
    this.pattern = new RegExp(data.pat_str, 'gu');
    // Each line: "<prefix> <first rank> <base64 token> <base64 token> ...", ranks consecutive.
    for (const line of data.bpe_ranks.split('\n')) {
      if (line === '') continue;
      const [, offset, ...tokens] = line.split(' ');
      const first = Number.parseInt(offset!, 10);
      tokens.forEach((token, i) => this.ranks.set(Buffer.from(token, 'base64').toString('latin1'), first + i));
    }
  }

  count(text: string): number {
    let tokens = 0;
    for (const match of text.matchAll(this.pattern)) {
      const bytes = utf8.encode(match[0]);
      tokens += bytes.length === 1 || this.ranks.has(latin1(bytes, 0, bytes.length)) ? 1 : this.mergedParts(bytes);
    }
    return tokens;
  }

  /** How many tokens one pre-tokenized piece becomes. */
  private mergedParts(bytes: Uint8Array): number {
    const n = bytes.length;
    // Parts are identified by their start; `next[s]` is where the part starting at s ends.
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    const alive = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    const heap = new PairHeap();
    const offer = (start: number, mid: number, end: number) => {
      const rank = this.ranks.get(latin1(bytes, start, end));
      if (rank !== undefined) heap.push(rank, start, mid, end);
    };
    for (let i = 0; i + 1 < n; i++) offer(i, i + 1, i + 2);

    let parts = n;
    while (heap.size > 0) {
      const { start, mid, end } = heap.pop();
      // Skip pairs that an earlier merge changed: both parts must be as they were.
      if (alive[start] === 0 || next[start] !== mid || mid >= n || next[mid] !== end) continue;
      next[start] = end;
      alive[mid] = 0;
      if (end < n) prev[end] = start;
      parts -= 1;
      const before = prev[start]!;
      if (before >= 0) offer(before, start, end);
      if (end < n) offer(start, end, next[end]!);
    }
    return parts;
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** A binary min-heap of candidate merges, by rank, then leftmost position. */
class PairHeap {
  private readonly rank: number[] = [];
  private readonly start: number[] = [];
  private readonly mid: number[] = [];
  private readonly end: number[] = [];

  get size(): number {
    return this.rank.length;
  }

  push(rank: number, start: number, mid: number, end: number): void {
    this.rank.push(rank);
    this.start.push(start);
    this.mid.push(mid);
    this.end.push(end);
    let i = this.rank.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { start: number; mid: number; end: number } {
    const top = { start: this.start[0]!, mid: this.mid[0]!, end: this.end[0]! };
    const last = this.rank.length - 1;
    this.swap(0, last);
    this.rank.pop();
    this.start.pop();
    this.mid.pop();
    this.end.pop();
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < last && this.less(left, smallest)) smallest = left;
      if (right < last && this.less(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    return this.rank[a]! < this.rank[b]! || (this.rank[a] === this.rank[b] && this.start[a]! < this.start[b]!);
  }

  private swap(a: number, b: number): void {
    for (const column of [this.rank, this.start, this.mid, this.end]) {
      const t = column[a]!;
      column[a] = column[b]!;
      column[b] = t;
    }
  }
}
