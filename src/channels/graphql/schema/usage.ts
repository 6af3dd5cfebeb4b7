import { DomainError } from '../../../domain/errors.js';
import { CHANNELS, microsToUsd, type Channel } from '../../../domain/usage.js';
import type { UsageSummary, UsageTotals } from '../../../domain/usage-summary.js';
import { usdToMicros, type LimitOverrides, type LimitOverridesPatch } from '../../../domain/user-limits.js';
import type { LimitsStatus } from '../../../use-cases/get-usage.js';
import { checkUserId } from '../../auth/user-id.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';

/*
 * Usage and limits. Counts that can outgrow a 32-bit Int over a long range
 * (token totals) are Floats holding whole numbers; money is USD as a Float,
 * exact to the micro-dollar the ledger keeps.
 */

const ChannelEnum = builder.enumType('Channel', {
  description: 'Where a message came in: the usage ledger and metrics say which surface spent what.',
  values: CHANNELS.map((c) => c.toUpperCase()),
});

const UsageTotalsRef = builder.objectRef<UsageTotals>('UsageTotals').implement({
  description: 'Tokens, cost and upstream calls of a set of ledger rows.',
  fields: (t) => ({
    promptTokens: t.float({ resolve: (u) => u.promptTokens }),
    cachedPromptTokens: t.float({ description: 'Of promptTokens, those the provider served from its cache.', resolve: (u) => u.cachedPromptTokens }),
    completionTokens: t.float({ resolve: (u) => u.completionTokens }),
    reasoningTokens: t.float({
      nullable: true,
      description: 'Of completionTokens, the model\'s reasoning; null when no call reported it.',
      resolve: (u) => u.reasoningTokens,
    }),
    totalTokens: t.float({ resolve: (u) => u.totalTokens }),
    costUsd: t.float({ description: 'At the prices in force when each call was recorded.', resolve: (u) => microsToUsd(u.costMicros) }),
    replies: t.int({ description: 'Upstream calls for replies.', resolve: (u) => u.replies }),
    summaries: t.int({ description: 'Upstream calls that summarised erased history.', resolve: (u) => u.summaries }),
    estimatedCalls: t.int({
      description: 'Calls the upstream reported no usage for (an interrupted stream): counted by us with the exact tokenizer.',
      resolve: (u) => u.estimatedCalls,
    }),
  }),
});

const ModelUsageRef = builder.objectRef<UsageTotals & { model: string }>('ModelUsage').implement({
  fields: (t) => ({
    model: t.exposeString('model'),
    usage: t.field({ type: UsageTotalsRef, resolve: (u) => u }),
  }),
});

const ChannelUsageRef = builder.objectRef<UsageTotals & { channel: Channel }>('ChannelUsage').implement({
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, resolve: (u) => u.channel.toUpperCase() }),
    usage: t.field({ type: UsageTotalsRef, resolve: (u) => u }),
  }),
});

const UsageSummaryRef = builder.objectRef<UsageSummary>('UsageSummary').implement({
  description: 'What a user spent in [from, to), from the usage ledger (one row per upstream call).',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime', description: 'Exclusive.' }),
    totals: t.field({ type: UsageTotalsRef, resolve: (s) => s.totals }),
    byModel: t.field({ type: [ModelUsageRef], description: 'Most expensive first.', resolve: (s) => [...s.byModel] }),
    byChannel: t.field({ type: [ChannelUsageRef], description: 'Most expensive first.', resolve: (s) => [...s.byChannel] }),
  }),
});

const usdOrNull = (micros: number | null | undefined) => (micros === null || micros === undefined ? null : microsToUsd(micros));

const LimitOverridesRef = builder.objectRef<LimitOverrides>('UserLimitOverrides').implement({
  description: "A user's own settings: null follows the default, 0 is unlimited.",
  fields: (t) => ({
    requestsPerMinute: t.int({ nullable: true, resolve: (o) => o.requestsPerMinute ?? null }),
    dailyTokens: t.int({ nullable: true, resolve: (o) => o.dailyTokens ?? null }),
    monthlyBudgetUsd: t.float({ nullable: true, resolve: (o) => usdOrNull(o.monthlyBudgetMicros) }),
    concurrentReplies: t.int({ nullable: true, resolve: (o) => o.concurrentReplies ?? null }),
  }),
});

const remaining = (limit: number | null, used: number) => (limit === null ? null : Math.max(0, limit - used));

const UserLimitsRef = builder.objectRef<LimitsStatus>('UserLimits').implement({
  description:
    'A user\'s limits as they apply now (null: unlimited), and what is used and left. Days and months are UTC: the daily ' +
    'tokens renew at 00:00 UTC, the monthly budget on the 1st at 00:00 UTC. "Held" is the worst case of replies in progress, ' +
    'given back when they end.',
  fields: (t) => ({
    requestsPerMinute: t.int({ nullable: true, description: 'Messages per minute, across every channel.', resolve: (s) => s.limits.requestsPerMinute }),
    dailyTokens: t.int({ nullable: true, resolve: (s) => s.limits.dailyTokens }),
    monthlyBudgetUsd: t.float({ nullable: true, resolve: (s) => usdOrNull(s.limits.monthlyBudgetMicros) }),
    concurrentReplies: t.int({ nullable: true, resolve: (s) => s.limits.concurrentReplies }),
    overrides: t.field({ type: LimitOverridesRef, resolve: (s) => s.overrides }),
    tokensToday: t.float({ description: 'Prompt and completion tokens spent today (UTC).', resolve: (s) => s.standing.daySpentTokens }),
    tokensHeldToday: t.float({ resolve: (s) => s.standing.dayReservedTokens }),
    tokensLeftToday: t.float({
      nullable: true,
      resolve: (s) => remaining(s.limits.dailyTokens, s.standing.daySpentTokens + s.standing.dayReservedTokens),
    }),
    spentThisMonthUsd: t.float({ resolve: (s) => microsToUsd(s.standing.monthSpentMicros) }),
    heldThisMonthUsd: t.float({ resolve: (s) => microsToUsd(s.standing.monthReservedMicros) }),
    leftThisMonthUsd: t.float({
      nullable: true,
      resolve: (s) => usdOrNull(remaining(s.limits.monthlyBudgetMicros, s.standing.monthSpentMicros + s.standing.monthReservedMicros)),
    }),
    repliesRunning: t.int({ resolve: (s) => s.standing.runningReplies }),
    dayRenewsAt: t.expose('dayRenewsAt', { type: 'DateTime' }),
    monthRenewsAt: t.expose('monthRenewsAt', { type: 'DateTime' }),
  }),
});

const UserLimitsInput = builder.inputType('UserLimitsInput', {
  description: 'A change to a user\'s limits: a field left out stays as it is, null goes back to the default, 0 is unlimited.',
  fields: (t) => ({
    requestsPerMinute: t.int(),
    dailyTokens: t.int(),
    monthlyBudgetUsd: t.float({ description: 'USD, at most 6 decimals.' }),
    concurrentReplies: t.int(),
  }),
});

/** Another user's usage or limits: a trusted backend's call, never an end user's. */
function requireService(ctx: GraphQLContext): void {
  if (ctx.caller.kind !== 'service') {
    throw new DomainError('UNAUTHENTICATED', "Reading or setting another user's usage and limits needs a service token");
  }
}

builder.queryFields((t) => ({
  usage: t.field({
    type: UsageSummaryRef,
    description: `The caller's usage in [from, to): at most 366 days.`,
    args: {
      from: t.arg({ type: 'DateTime', description: 'Default: the start of the current month (UTC).' }),
      to: t.arg({ type: 'DateTime', description: 'Exclusive. Default: now.' }),
    },
    resolve: (_root, { from, to }, ctx) => ctx.core.usage(ctx.caller.userId, { from: from ?? undefined, to: to ?? undefined }),
  }),
  limits: t.field({
    type: UserLimitsRef,
    description: "The caller's limits, and what is used and left of them.",
    resolve: (_root, _args, ctx) => ctx.core.limits(ctx.caller.userId),
  }),
  userUsage: t.field({
    type: UsageSummaryRef,
    description: "Any user's usage in [from, to). Service tokens only (a JWT gets UNAUTHENTICATED).",
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', description: 'Default: the start of the current month (UTC).' }),
      to: t.arg({ type: 'DateTime', description: 'Exclusive. Default: now.' }),
    },
    resolve: (_root, { userId, from, to }, ctx) => {
      requireService(ctx);
      return ctx.core.usage(checkUserId(String(userId)), { from: from ?? undefined, to: to ?? undefined });
    },
  }),
  userLimits: t.field({
    type: UserLimitsRef,
    description: "Any user's limits and what is left of them. Service tokens only (a JWT gets UNAUTHENTICATED).",
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, ctx) => {
      requireService(ctx);
      return ctx.core.limits(checkUserId(String(userId)));
    },
  }),
}));

builder.mutationField('setUserLimits', (t) =>
  t.field({
    type: UserLimitsRef,
    description:
      "Changes a user's limits; they apply from the user's next message, on every replica. Service tokens only " +
      '(a JWT gets UNAUTHENTICATED).',
    args: { userId: t.arg.id({ required: true }), limits: t.arg({ type: UserLimitsInput, required: true }) },
    resolve: (_root, { userId, limits }, ctx) => {
      requireService(ctx);
      const patch: LimitOverridesPatch = {
        requestsPerMinute: limits.requestsPerMinute,
        dailyTokens: limits.dailyTokens,
        monthlyBudgetMicros:
          limits.monthlyBudgetUsd === undefined || limits.monthlyBudgetUsd === null ? limits.monthlyBudgetUsd : usdToMicros(limits.monthlyBudgetUsd),
        concurrentReplies: limits.concurrentReplies,
      };
      return ctx.core.setUserLimits(checkUserId(String(userId)), patch);
    },
  }),
);
