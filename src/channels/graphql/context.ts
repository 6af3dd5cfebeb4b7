import DataLoader from 'dataloader';
import type { ContextSummary } from '../../domain/context-summary.js';
import type { Message } from '../../domain/message.js';
import type { UsageRecord } from '../../domain/usage.js';
import type { ChatCore } from '../../use-cases/chat-core.js';
import type { Caller } from '../auth/authenticator.js';
import type { StreamLifecycle } from './lifecycle.js';

/** What every resolver gets: the core, who is calling, and per-operation batching. */
export interface GraphQLContext {
  readonly core: ChatCore;
  readonly caller: Caller;
  /** Each chat's newest message, fetched for a whole list in one query. */
  readonly latestMessages: DataLoader<string, Message | null>;
  /** Each chat's streaming reply, for a whole list in one query. */
  readonly activeReplies: DataLoader<string, Message | null>;
  /** Each chat's running summary, for a whole list in one query. */
  readonly contextSummaries: DataLoader<string, ContextSummary | null>;
  /** Each reply's ledger row (usage and cost), for a whole list in one query. */
  readonly replyUsage: DataLoader<string, UsageRecord | null>;
  /** Shutdown: feeds end on its signal, reply streams are tracked until their last event. */
  readonly lifecycle: StreamLifecycle;
}

export function createGraphQLContext(core: ChatCore, caller: Caller, lifecycle: StreamLifecycle): GraphQLContext {
  return {
    core,
    caller,
    lifecycle,
    latestMessages: new DataLoader(async (chatIds) => {
      const latest = await core.latestMessages(chatIds);
      return chatIds.map((id) => latest.get(id) ?? null);
    }),
    activeReplies: new DataLoader(async (chatIds) => {
      const streaming = await core.activeReplies(chatIds);
      return chatIds.map((id) => streaming.get(id) ?? null);
    }),
    replyUsage: new DataLoader(async (messageIds) => {
      const records = await core.replyUsage(messageIds);
      return messageIds.map((id) => records.get(id) ?? null);
    }),
    contextSummaries: new DataLoader(async (chatIds) => {
      const latest = await core.contextSummaries(chatIds);
      return chatIds.map((id) => latest.get(id) ?? null);
    }),
  };
}
