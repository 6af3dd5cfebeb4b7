import type { TokenUsage } from './message.js';
import type { ModelPrice } from './prices.js';

/** Where a turn came from: a label of the ledger and the metrics, never an identity. */
export const CHANNELS = ['graphql', 'grpc', 'http', 'whatsapp', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What an upstream call was for: a reply, or the summary a turn folded first. */
export const USAGE_KINDS = ['reply', 'summary'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

/** Tokens of one upstream call, split the way providers bill them. */
export interface UsageCounts {
  /** Every prompt token, the cached ones included. */
  readonly promptTokens: number;
  /** Of the prompt tokens, those served from the provider's cache (cheaper). */
  readonly cachedPromptTokens: number;
  /** Every generated token, the reasoning ones included. */
  readonly completionTokens: number;
  /** Of the completion tokens, the model's hidden reasoning; null where the provider does not say. */
  readonly reasoningTokens: number | null;
}

/** One row of the usage ledger: one upstream call, as it was billed (or estimated). */
export interface UsageRecord {
  /** The turn's assistant message; with `kind`, the row's identity (written once, whatever the retries). */
  readonly messageId: string;
  readonly kind: UsageKind;
  readonly userId: string;
  readonly chatId: string;
  readonly channel: Channel;
  readonly model: string;
  readonly counts: UsageCounts;
  /** True when the upstream reported no usage and the counts are ours (exact tokenizer, what was sent and delivered). */
  readonly estimated: boolean;
  readonly costMicros: number;
  /** The price table used (PriceTable.version). */
  readonly priceVersion: string;
  readonly at: Date;
}

export const totalTokens = (counts: UsageCounts): number => counts.promptTokens + counts.completionTokens;

/** The upstream's report, with the optional details read defensively (a cached count above the prompt is capped). */
export function reportedCounts(usage: TokenUsage): UsageCounts {
  const cached = usage.cachedPromptTokens ?? 0;
  return {
    promptTokens: usage.promptTokens,
    cachedPromptTokens: Math.min(cached, usage.promptTokens),
    completionTokens: usage.completionTokens,
    reasoningTokens: usage.reasoningTokens ?? null,
  };
}

/** Our own count, for a call the upstream reported nothing about: nothing is assumed cached. */
export const estimatedCounts = (promptTokens: number, completionTokens: number): UsageCounts => ({
  promptTokens,
  cachedPromptTokens: 0,
  completionTokens,
  reasoningTokens: null,
});

const PICO_PER_MICRO = 1_000_000n;

/** USD per million tokens is micro-dollars per token; kept in pico-dollars per token so every sum is an integer. */
const picoPerToken = (usdPerMTok: number): bigint => BigInt(Math.round(usdPerMTok * 1_000_000));

/**
 * What a call costs in micro-dollars (1e-6 USD), rounded up: a ledger never
 * bills less than the provider. Integer arithmetic throughout, so the sum of
 * the rows is exactly what a user was charged. No price: nothing.
 */
export function costMicros(counts: UsageCounts, price: ModelPrice | undefined): number {
  if (price === undefined) return 0;
  const cached = BigInt(counts.cachedPromptTokens);
  const uncached = BigInt(counts.promptTokens) - cached;
  const pico =
    uncached * picoPerToken(price.inputPerMTok) +
    cached * picoPerToken(price.cachedInputPerMTok) +
    BigInt(counts.completionTokens) * picoPerToken(price.outputPerMTok);
  return Number((pico + PICO_PER_MICRO - 1n) / PICO_PER_MICRO);
}

/** What a budget must hold for one call before it runs: every prompt token uncached, the whole reply budget used. */
export interface WorstCase {
  readonly tokens: number;
  readonly micros: number;
}

export function worstCase(promptTokens: number, replyBudget: number, price: ModelPrice | undefined): WorstCase {
  const counts = estimatedCounts(promptTokens, replyBudget);
  return { tokens: totalTokens(counts), micros: costMicros(counts, price) };
}

export const addWorstCases = (a: WorstCase, b: WorstCase): WorstCase => ({ tokens: a.tokens + b.tokens, micros: a.micros + b.micros });

/** Micro-dollars as dollars, for display (exact to the micro-dollar in a double). */
export const microsToUsd = (micros: number): number => micros / 1_000_000;
