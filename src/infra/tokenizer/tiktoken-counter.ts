import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import type { Encoding } from '../../domain/models.js';
import type { TokenCounter } from '../../use-cases/ports.js';
import { BpeCounter } from './bpe-counter.js';

const RANKS = { cl100k_base: cl100kBase, o200k_base: o200kBase } as const satisfies Record<Encoding, unknown>;

/**
 * Exact token counts with OpenAI's BPE ranks (shipped by js-tiktoken).
 * Building an encoder parses a few MB of ranks, so each is built on first use
 * and then kept.
 */
export class TiktokenCounter implements TokenCounter {
  private readonly encoders = new Map<Encoding, BpeCounter>();

  count(text: string, encoding: Encoding): number {
    if (text.length === 0) return 0;
    // Text is user data: a literal "<|endoftext|>" is ordinary text, as the
    // API treats it; BpeCounter knows no special tokens.
    return this.encoder(encoding).count(text);
  }

  /** Builds the encoders now, so the first request does not pay for it (a fraction of a second each). */
  preload(encodings: readonly Encoding[] = ['cl100k_base', 'o200k_base']): void {
    for (const encoding of encodings) this.encoder(encoding);
  }

  private encoder(encoding: Encoding): BpeCounter {
    let encoder = this.encoders.get(encoding);
    if (!encoder) {
      encoder = new BpeCounter(RANKS[encoding]);
      this.encoders.set(encoding, encoder);
    }
    return encoder;
  }
}
