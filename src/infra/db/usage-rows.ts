import type { Knex } from 'knex';
import type { BudgetCounters } from '../../domain/budget.js';
import type { OpenClaim } from '../../domain/usage-claim.js';
import { CHANNELS, USAGE_KINDS, type Channel, type UsageRecord } from '../../domain/usage.js';
import type { LimitOverrides } from '../../domain/user-limits.js';

/** The usage tables (migration 20261128050000_usage_ledger) and their rows. */
export const LEDGER_TABLE = 'usage_ledger';
export const RESERVATIONS_TABLE = 'usage_reservations';
export const BUDGETS_TABLE = 'usage_budgets';
export const USER_LIMITS_TABLE = 'user_limits';

// Integers may come back as strings from mysql2 (BIGINT, SUM); Number() reads both.
type Int = number | string;

export interface LedgerRow {
  message_id: string;
  kind: string;
  user_id: string;
  chat_id: string;
  channel: string;
  model: string;
  prompt_tokens: Int;
  cached_prompt_tokens: Int;
  completion_tokens: Int;
  reasoning_tokens: Int | null;
  estimated: boolean | number;
  cost_micros: Int;
  price_version: string;
  created_at: Int;
}

/** The columns of a ledger row, in the order raw statements bind them. */
export const LEDGER_COLUMNS = [
  'message_id',
  'kind',
  'user_id',
  'chat_id',
  'channel',
  'model',
  'prompt_tokens',
  'cached_prompt_tokens',
  'completion_tokens',
  'reasoning_tokens',
  'estimated',
  'cost_micros',
  'price_version',
  'created_at',
] as const satisfies readonly (keyof LedgerRow)[];

export function ledgerRowOf(record: UsageRecord): LedgerRow {
  const { counts } = record;
  return {
    message_id: record.messageId,
    kind: record.kind,
    user_id: record.userId,
    chat_id: record.chatId,
    channel: record.channel,
    model: record.model,
    prompt_tokens: counts.promptTokens,
    cached_prompt_tokens: counts.cachedPromptTokens,
    completion_tokens: counts.completionTokens,
    reasoning_tokens: counts.reasoningTokens,
    estimated: record.estimated,
    cost_micros: record.costMicros,
    price_version: record.priceVersion,
    created_at: record.at.getTime(),
  };
}

export function usageRecordOf(row: LedgerRow): UsageRecord {
  return {
    messageId: row.message_id,
    kind: oneOf(USAGE_KINDS, row.kind, 'reply'),
    userId: row.user_id,
    chatId: row.chat_id,
    channel: channelOf(row.channel),
    model: row.model,
    counts: {
      promptTokens: Number(row.prompt_tokens),
      cachedPromptTokens: Number(row.cached_prompt_tokens),
      completionTokens: Number(row.completion_tokens),
      reasoningTokens: row.reasoning_tokens === null ? null : Number(row.reasoning_tokens),
    },
    estimated: Boolean(row.estimated),
    costMicros: Number(row.cost_micros),
    priceVersion: row.price_version,
    at: new Date(Number(row.created_at)),
  };
}

export interface ReservationRow {
  message_id: string;
  user_id: string;
  chat_id: string;
  channel: string;
  model: string;
  prompt_tokens: Int;
  day_key: string;
  month_key: string;
  held_tokens: Int;
  held_micros: Int;
  holds_reply_slot: boolean | number;
  created_at: Int;
}

/** The columns of a reservation row, in the order raw statements bind them. */
export const RESERVATION_COLUMNS = [
  'message_id',
  'user_id',
  'chat_id',
  'channel',
  'model',
  'prompt_tokens',
  'day_key',
  'month_key',
  'held_tokens',
  'held_micros',
  'holds_reply_slot',
  'created_at',
] as const satisfies readonly (keyof ReservationRow)[];

/** A row's values in `columns` order, booleans as 1/0 (what both drivers bind). */
export function bindingsOf<R extends object>(row: R, columns: readonly (keyof R)[]): Knex.Value[] {
  return columns.map((column) => {
    const value = row[column] as Knex.Value | boolean;
    return typeof value === 'boolean' ? (value ? 1 : 0) : value;
  });
}

export function reservationRowOf(claim: OpenClaim): ReservationRow {
  return {
    message_id: claim.messageId,
    user_id: claim.userId,
    chat_id: claim.chatId,
    channel: claim.channel,
    model: claim.model,
    prompt_tokens: claim.promptTokens,
    day_key: claim.hold.day,
    month_key: claim.hold.month,
    held_tokens: claim.hold.tokens,
    held_micros: claim.hold.micros,
    holds_reply_slot: claim.hold.holdsReplySlot,
    created_at: claim.at.getTime(),
  };
}

export function openClaimOf(row: ReservationRow): OpenClaim {
  return {
    messageId: row.message_id,
    userId: row.user_id,
    chatId: row.chat_id,
    channel: channelOf(row.channel),
    model: row.model,
    promptTokens: Number(row.prompt_tokens),
    hold: {
      day: row.day_key,
      month: row.month_key,
      tokens: Number(row.held_tokens),
      micros: Number(row.held_micros),
      holdsReplySlot: Boolean(row.holds_reply_slot),
    },
    at: new Date(Number(row.created_at)),
  };
}

export interface BudgetRow {
  user_id: string;
  day_key: string;
  day_spent_tokens: Int;
  day_reserved_tokens: Int;
  month_key: string;
  month_spent_micros: Int;
  month_reserved_micros: Int;
  running_replies: Int;
  updated_at: Int;
}

/** A user's first row: nothing spent, nothing held, in no period yet (the first turn rolls it into its own). */
export const emptyBudgetRow = (userId: string, at: Date): BudgetRow => ({
  user_id: userId,
  day_key: '',
  day_spent_tokens: 0,
  day_reserved_tokens: 0,
  month_key: '',
  month_spent_micros: 0,
  month_reserved_micros: 0,
  running_replies: 0,
  updated_at: at.getTime(),
});

export function countersOf(row: BudgetRow): BudgetCounters {
  return {
    dayKey: row.day_key,
    daySpentTokens: Number(row.day_spent_tokens),
    dayReservedTokens: Number(row.day_reserved_tokens),
    monthKey: row.month_key,
    monthSpentMicros: Number(row.month_spent_micros),
    monthReservedMicros: Number(row.month_reserved_micros),
    runningReplies: Number(row.running_replies),
  };
}

export interface UserLimitsRow {
  user_id: string;
  requests_per_minute: Int | null;
  daily_tokens: Int | null;
  monthly_budget_micros: Int | null;
  concurrent_replies: Int | null;
  updated_at: Int;
}

export function overridesOf(row: UserLimitsRow | undefined): LimitOverrides {
  if (row === undefined) return {};
  const overrides: { -readonly [K in keyof LimitOverrides]: number } = {};
  if (row.requests_per_minute !== null) overrides.requestsPerMinute = Number(row.requests_per_minute);
  if (row.daily_tokens !== null) overrides.dailyTokens = Number(row.daily_tokens);
  if (row.monthly_budget_micros !== null) overrides.monthlyBudgetMicros = Number(row.monthly_budget_micros);
  if (row.concurrent_replies !== null) overrides.concurrentReplies = Number(row.concurrent_replies);
  return overrides;
}

export function userLimitsRowOf(userId: string, overrides: LimitOverrides, at: Date): UserLimitsRow {
  return {
    user_id: userId,
    requests_per_minute: overrides.requestsPerMinute ?? null,
    daily_tokens: overrides.dailyTokens ?? null,
    monthly_budget_micros: overrides.monthlyBudgetMicros ?? null,
    concurrent_replies: overrides.concurrentReplies ?? null,
    updated_at: at.getTime(),
  };
}

// A label this version does not know (written by a newer one) still reads.
const channelOf = (value: string): Channel => oneOf(CHANNELS, value, 'other');

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
