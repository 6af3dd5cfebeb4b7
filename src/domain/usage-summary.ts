import type { Channel, UsageCounts, UsageKind } from './usage.js';

/** The ledger's rows of one model, channel and kind, added up. */
export interface UsageGroupTotals {
  readonly model: string;
  readonly channel: Channel;
  readonly kind: UsageKind;
  readonly counts: UsageCounts;
  readonly costMicros: number;
  readonly calls: number;
  readonly estimatedCalls: number;
}

/** Tokens by kind, cost and calls of a set of ledger rows. */
export interface UsageTotals {
  readonly promptTokens: number;
  readonly cachedPromptTokens: number;
  readonly completionTokens: number;
  /** Null when no call of the set reported reasoning tokens. */
  readonly reasoningTokens: number | null;
  readonly totalTokens: number;
  readonly costMicros: number;
  /** Upstream calls for replies, and for summaries. */
  readonly replies: number;
  readonly summaries: number;
  /** Calls whose counts are our estimate (the upstream reported none). */
  readonly estimatedCalls: number;
}

export interface UsageSummary {
  readonly from: Date;
  readonly to: Date;
  readonly totals: UsageTotals;
  /** Most expensive first. */
  readonly byModel: readonly (UsageTotals & { readonly model: string })[];
  readonly byChannel: readonly (UsageTotals & { readonly channel: Channel })[];
}

const ZERO: UsageTotals = {
  promptTokens: 0,
  cachedPromptTokens: 0,
  completionTokens: 0,
  reasoningTokens: null,
  totalTokens: 0,
  costMicros: 0,
  replies: 0,
  summaries: 0,
  estimatedCalls: 0,
};

function add(totals: UsageTotals, group: UsageGroupTotals): UsageTotals {
  const { counts } = group;
  const reasoning = counts.reasoningTokens === null ? totals.reasoningTokens : (totals.reasoningTokens ?? 0) + counts.reasoningTokens;
  return {
    promptTokens: totals.promptTokens + counts.promptTokens,
    cachedPromptTokens: totals.cachedPromptTokens + counts.cachedPromptTokens,
    completionTokens: totals.completionTokens + counts.completionTokens,
    reasoningTokens: reasoning,
    totalTokens: totals.totalTokens + counts.promptTokens + counts.completionTokens,
    costMicros: totals.costMicros + group.costMicros,
    replies: totals.replies + (group.kind === 'reply' ? group.calls : 0),
    summaries: totals.summaries + (group.kind === 'summary' ? group.calls : 0),
    estimatedCalls: totals.estimatedCalls + group.estimatedCalls,
  };
}

function breakdown<K extends string>(groups: readonly UsageGroupTotals[], keyOf: (group: UsageGroupTotals) => K): [K, UsageTotals][] {
  const totals = new Map<K, UsageTotals>();
  for (const group of groups) totals.set(keyOf(group), add(totals.get(keyOf(group)) ?? ZERO, group));
  return [...totals].sort(([a, x], [b, y]) => y.costMicros - x.costMicros || y.totalTokens - x.totalTokens || a.localeCompare(b));
}

export function summarizeUsage(groups: readonly UsageGroupTotals[], from: Date, to: Date): UsageSummary {
  return {
    from,
    to,
    totals: groups.reduce(add, ZERO),
    byModel: breakdown(groups, (g) => g.model).map(([model, totals]) => ({ model, ...totals })),
    byChannel: breakdown(groups, (g) => g.channel).map(([channel, totals]) => ({ channel, ...totals })),
  };
}
