import { MESSAGE_ROLES, MESSAGE_STATUSES, type Message, type TokenUsage } from '../../../domain/message.js';
import { microsToUsd, type UsageRecord } from '../../../domain/usage.js';
import { builder } from '../builder.js';

export const MessageRoleEnum = builder.enumType('MessageRole', { values: MESSAGE_ROLES });

export const MessageStatusEnum = builder.enumType('MessageStatus', {
  description:
    'STREAMING while the reply is produced; then COMPLETE, INCOMPLETE (stopped, cut short, or the upstream ' +
    'failed mid-reply: exactly the text delivered) or FAILED.',
  values: MESSAGE_STATUSES,
});

/** Usage as GraphQL shows it: the counts, and what the ledger knows of them (whether estimated, and the cost). */
export interface UsageView extends TokenUsage {
  readonly estimated?: boolean | null | undefined;
  readonly costMicros?: number | null | undefined;
}

/** A reply's ledger row as a UsageView. */
export const usageViewOf = (record: UsageRecord): UsageView => ({
  promptTokens: record.counts.promptTokens,
  completionTokens: record.counts.completionTokens,
  cachedPromptTokens: record.counts.cachedPromptTokens,
  reasoningTokens: record.counts.reasoningTokens ?? undefined,
  estimated: record.estimated,
  costMicros: record.costMicros,
});

export const TokenUsageRef = builder.objectRef<UsageView>('TokenUsage').implement({
  description:
    'What an upstream call used: as the upstream reported it, or, when it reported nothing (an interrupted stream), ' +
    'counted by us with the exact tokenizer (estimated).',
  fields: (t) => ({
    promptTokens: t.exposeInt('promptTokens'),
    completionTokens: t.exposeInt('completionTokens'),
    cachedPromptTokens: t.int({
      nullable: true,
      description: 'Of promptTokens, those the provider served from its cache; null when not reported.',
      resolve: (u) => u.cachedPromptTokens ?? null,
    }),
    reasoningTokens: t.int({
      nullable: true,
      description: "Of completionTokens, the model's reasoning; null when not reported.",
      resolve: (u) => u.reasoningTokens ?? null,
    }),
    estimated: t.boolean({ nullable: true, description: 'True when counted by us; null when not known.', resolve: (u) => u.estimated ?? null }),
    costUsd: t.float({
      nullable: true,
      description: 'What the call cost in USD at the prices in force when it was recorded; null when not known (a reply still streaming).',
      resolve: (u) => (u.costMicros === null || u.costMicros === undefined ? null : microsToUsd(u.costMicros)),
    }),
  }),
});

export const MessageRef = builder.objectRef<Message>('Message').implement({
  description: 'One message of a chat: the system prompt, a user message, or a reply.',
  fields: (t) => ({
    id: t.exposeID('id'),
    chatId: t.exposeID('chatId'),
    seq: t.exposeInt('seq', { description: 'Position in the chat, from 0 (the system prompt).' }),
    role: t.expose('role', { type: MessageRoleEnum }),
    content: t.exposeString('content'),
    tokenCount: t.exposeInt('tokenCount', {
      description: 'Chat-format tokens of this message, counted once when it was written.',
    }),
    status: t.expose('status', { type: MessageStatusEnum }),
    erased: t.exposeBoolean('erased', {
      description: 'Fell out of the context window: kept and listed on request, never sent upstream again.',
    }),
    model: t.exposeString('model'),
    finishReason: t.exposeString('finishReason', { nullable: true }),
    usage: t.field({
      type: TokenUsageRef,
      nullable: true,
      description: "A reply's usage and cost, from the usage ledger once it ended; null for other messages and running replies.",
      resolve: async (message, _args, ctx) => {
        if (message.role !== 'ASSISTANT' || message.status === 'STREAMING') return message.usage;
        const record = await ctx.replyUsage.load(message.id);
        return record === null ? message.usage : usageViewOf(record);
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MessageConnection = builder.connectionObject(
  { type: MessageRef, name: 'MessageConnection' },
  { name: 'MessageEdge' },
);

builder.mutationField('stopReply', (t) =>
  t.field({
    type: MessageRef,
    description:
      'Stops a reply in progress: the upstream request is aborted and exactly the text delivered so far is ' +
      'stored as INCOMPLETE. A reply that already ended is returned as it is.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, { messageId }, ctx) => ctx.core.stopReply(ctx.caller.userId, String(messageId)),
  }),
);
