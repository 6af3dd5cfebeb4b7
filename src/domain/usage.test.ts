import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRICES } from './prices.js';
import { costMicros, estimatedCounts, reportedCounts, worstCase } from './usage.js';

const MINI = BUILT_IN_PRICES['gpt-4o-mini']!; // 0.15 / 0.075 / 0.6 USD per million tokens

describe('costMicros', () => {
  it('is tokens × price per token, in micro-dollars', () => {
    // 1M prompt tokens at $0.15/M and 1M completion tokens at $0.60/M: $0.75.
    expect(costMicros(estimatedCounts(1_000_000, 1_000_000), MINI)).toBe(750_000);
  });

  it('bills cached prompt tokens at the cached price', () => {
    const counts = reportedCounts({ promptTokens: 1_000_000, completionTokens: 0, cachedPromptTokens: 400_000 });
    // 600k × 0.15 + 400k × 0.075 = 90,000 + 30,000 micro-dollars.
    expect(costMicros(counts, MINI)).toBe(120_000);
  });

  it('rounds up to whole micro-dollars per call, never down', () => {
    // 1 prompt token at $0.15/M is 0.15 micro-dollars.
    expect(costMicros(estimatedCounts(1, 0), MINI)).toBe(1);
    expect(costMicros(estimatedCounts(20, 10), MINI)).toBe(Math.ceil(20 * 0.15 + 10 * 0.6));
  });

  it('is exact where floating point is not (sums of fractional prices)', () => {
    const price = { inputPerMTok: 0.1, cachedInputPerMTok: 0.1, outputPerMTok: 0.2 };
    // 0.1 + 0.2 !== 0.3 in doubles; 3M tokens each way is exactly 300,000 + 600,000 micro-dollars.
    expect(costMicros(estimatedCounts(3_000_000, 3_000_000), price)).toBe(900_000);
  });

  it('stays exact for counts far beyond a double multiplied naively', () => {
    const price = { inputPerMTok: 9_999.999999, cachedInputPerMTok: 9_999.999999, outputPerMTok: 9_999.999999 };
    expect(costMicros(estimatedCounts(2_000_000_000, 0), price)).toBe(19_999_999_998_000);
  });

  it('is zero for a model without a price', () => {
    expect(costMicros(estimatedCounts(1_000, 1_000), undefined)).toBe(0);
  });
});

describe('reportedCounts', () => {
  it('keeps reasoning tokens as part of the completion, and caps a cached count above the prompt', () => {
    expect(reportedCounts({ promptTokens: 10, completionTokens: 50, reasoningTokens: 30, cachedPromptTokens: 99 })).toEqual({
      promptTokens: 10,
      cachedPromptTokens: 10,
      completionTokens: 50,
      reasoningTokens: 30,
    });
  });
});

describe('worstCase', () => {
  it('is the prompt plus the whole reply budget, uncached', () => {
    expect(worstCase(1_000, 500, MINI)).toEqual({ tokens: 1_500, micros: Math.ceil(1_000 * 0.15 + 500 * 0.6) });
  });
});
