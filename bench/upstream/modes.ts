/** How the fake upstream answers. Deltas are words with their leading space, as models stream them. */
export interface UpstreamMode {
  readonly name: 'zero' | 'paced' | 'paced20';
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
 * paced: first token after 20 ms, then 64 deltas in all, 5 ms apart (a reply of about 340 ms): a fast model, a hard pace.
 * paced20: first token after 20 ms, then 64 deltas in all, 20 ms apart (about 1.3 s): the pace of a real model (~50 tokens/s).
 */
export const UPSTREAM_MODES = {
  zero: mode('zero', 0, 0, 8),
  paced: mode('paced', 20, 5, 64),
  paced20: mode('paced20', 20, 20, 64),
} as const satisfies Record<UpstreamMode['name'], UpstreamMode>;

export const PACED_GAP_MS = UPSTREAM_MODES.paced.chunkDelayMs;

/** How long one reply takes upstream in a mode (first token, then the pace up to the finish). */
export const replyMs = (name: UpstreamMode['name']) => UPSTREAM_MODES[name].firstChunkDelayMs + UPSTREAM_MODES[name].chunkDelayMs * UPSTREAM_MODES[name].deltas.length;
