/** How the fake upstream answers. Deltas are words with their leading space, as models stream them. */
export interface UpstreamMode {
  readonly name: 'zero' | 'paced';
  /** Before the response headers (and the first content delta, sent with them). */
  readonly firstChunkDelayMs: number;
  /** Before each later delta, and before the finish chunk. */
  readonly chunkDelayMs: number;
  readonly deltas: readonly string[];
  /** The deltas as JSON strings, ready to splice into chunks. */
  readonly deltaJson: readonly string[];
  /** Tokens of the reply text in o200k_base (each delta below is one token). */
  readonly completionTokens: number;
}

const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];
const words = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 'The' : i % WORDS.length === 0 ? ' The' : WORDS[i % WORDS.length]!));

function mode(name: UpstreamMode['name'], firstChunkDelayMs: number, chunkDelayMs: number, count: number): UpstreamMode {
  const deltas = words(count);
  return { name, firstChunkDelayMs, chunkDelayMs, deltas, deltaJson: deltas.map((d) => JSON.stringify(d)), completionTokens: count };
}

/**
 * zero: the whole answer at once, a short reply (8 deltas) — measures pure overhead and throughput.
 * paced: first token after 20 ms, then 64 deltas in all, 5 ms apart (a reply of about 340 ms).
 */
export const UPSTREAM_MODES = {
  zero: mode('zero', 0, 0, 8),
  paced: mode('paced', 20, 5, 64),
} as const satisfies Record<UpstreamMode['name'], UpstreamMode>;

export const PACED_GAP_MS = UPSTREAM_MODES.paced.chunkDelayMs;
