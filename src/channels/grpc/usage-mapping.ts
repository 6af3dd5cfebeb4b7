import { invalidInput } from '../../domain/errors.js';
import type { UsageSummary, UsageTotals } from '../../domain/usage-summary.js';
import type { LimitsStatus, UsageRange } from '../../use-cases/get-usage.js';
import type { GetUsageRequest__Output as GetUsageRequest } from './generated/chatservice/v1/GetUsageRequest.js';
import type { UsageSummary as UsageSummaryProto } from './generated/chatservice/v1/UsageSummary.js';
import type { UsageTotals as UsageTotalsProto } from './generated/chatservice/v1/UsageTotals.js';
import type { UserLimits as UserLimitsProto } from './generated/chatservice/v1/UserLimits.js';
import type { Timestamp, Timestamp__Output as TimestampInput } from './generated/google/protobuf/Timestamp.js';

/** Usage and limits to v1 messages and back (usage.proto). */

export function usageRange(request: GetUsageRequest): UsageRange {
  return { from: dateOf(request.from, 'from'), to: dateOf(request.to, 'to') };
}

function dateOf(value: TimestampInput | null, field: string): Date | undefined {
  if (value === null) return undefined;
  const seconds = Number(value.seconds);
  if (!Number.isSafeInteger(seconds) || !Number.isInteger(value.nanos) || value.nanos < 0 || value.nanos > 999_999_999) {
    throw invalidInput(`${field} is not a valid timestamp`);
  }
  const date = new Date(seconds * 1000 + Math.floor(value.nanos / 1_000_000));
  if (Number.isNaN(date.getTime())) throw invalidInput(`${field} is out of range`);
  return date;
}

function timestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function totalsToProto(totals: UsageTotals): UsageTotalsProto {
  return {
    prompt_tokens: totals.promptTokens,
    cached_prompt_tokens: totals.cachedPromptTokens,
    completion_tokens: totals.completionTokens,
    ...(totals.reasoningTokens === null ? {} : { reasoning_tokens: totals.reasoningTokens }),
    total_tokens: totals.totalTokens,
    cost_micros: totals.costMicros,
    replies: totals.replies,
    summaries: totals.summaries,
    estimated_calls: totals.estimatedCalls,
  };
}

export function usageSummaryToProto(summary: UsageSummary): UsageSummaryProto {
  return {
    from: timestamp(summary.from),
    to: timestamp(summary.to),
    totals: totalsToProto(summary.totals),
    by_model: summary.byModel.map((usage) => ({ model: usage.model, usage: totalsToProto(usage) })),
    by_channel: summary.byChannel.map((usage) => ({ channel: usage.channel, usage: totalsToProto(usage) })),
  };
}

/** Optional fields are left out for "unlimited". */
export function userLimitsToProto(status: LimitsStatus): UserLimitsProto {
  const { limits, standing } = status;
  const optional = <K extends string>(key: K, value: number | null) => (value === null ? {} : { [key]: value });
  const left = (limit: number | null, used: number) => (limit === null ? null : Math.max(0, limit - used));
  return {
    ...optional('requests_per_minute', limits.requestsPerMinute),
    ...optional('daily_tokens', limits.dailyTokens),
    ...optional('monthly_budget_micros', limits.monthlyBudgetMicros),
    ...optional('concurrent_replies', limits.concurrentReplies),
    tokens_today: standing.daySpentTokens,
    tokens_held_today: standing.dayReservedTokens,
    ...optional('tokens_left_today', left(limits.dailyTokens, standing.daySpentTokens + standing.dayReservedTokens)),
    spent_this_month_micros: standing.monthSpentMicros,
    held_this_month_micros: standing.monthReservedMicros,
    ...optional('left_this_month_micros', left(limits.monthlyBudgetMicros, standing.monthSpentMicros + standing.monthReservedMicros)),
    replies_running: standing.runningReplies,
    day_renew_time: timestamp(status.dayRenewsAt),
    month_renew_time: timestamp(status.monthRenewsAt),
  };
}
