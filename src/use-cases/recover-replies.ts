import type { Message } from '../domain/message.js';
import { messageTokens } from '../domain/token-rules.js';
import type { CoreDeps } from './core-deps.js';
import { endingOf } from './follow-reply.js';
import type { ReplyOutcome } from './ports.js';
import { recoveredSettlement } from './settle-usage.js';

/** The ports recovering a reply needs. */
export type RecoverRepliesDeps = Pick<
  CoreDeps,
  'chats' | 'events' | 'live' | 'replies' | 'clock' | 'logger' | 'tokens' | 'models' | 'usage' | 'metrics'
>;

/** Replies recovered per batch, and batches per sweep; a sweep runs again soon, so a backlog drains over a few. */
const SWEEP_BATCH = 100;
const SWEEP_BATCHES = 10;

/**
 * Ends a reply whose producer is gone (its lease expired) with the text its
 * clients were shown: the reply log's (deps.live, shared by replicas) when it
 * still has it, else the last checkpoint's; INCOMPLETE, or FAILED when there
 * is none. Its watchers are told. Undefined when its producer renewed the
 * lease meanwhile (it is alive after all).
 */
export async function recoverAbandonedReply(deps: RecoverRepliesDeps, reply: Message): Promise<Message | undefined> {
  const logged = await deps.live.textOf(reply.id).catch(() => undefined);
  const content = logged !== undefined && logged.length > reply.content.length ? logged : reply.content;
  const encoding = deps.models.resolve(reply.model).spec.encoding;
  const outcome: ReplyOutcome = {
    content,
    status: content.length > 0 ? 'INCOMPLETE' : 'FAILED',
    finishReason: 'interrupted',
    usage: null,
    errorCode: content.length > 0 ? null : 'UNAVAILABLE',
    tokenCount: content.length === 0 ? 0 : messageTokens({ role: 'ASSISTANT', content }, (t) => deps.tokens.count(t, encoding)),
  };
  // Its claim on the user's budgets is settled with it, from what was delivered (estimated: no usage came).
  const settlement = await recoveredSettlement(deps, reply, { text: content, status: outcome.status });
  const stored = await deps.chats.recoverReply(reply, { ...outcome, settlement }, deps.clock.now());
  if (stored !== undefined) {
    if (settlement !== undefined) deps.metrics.usageRecorded(settlement.record);
    deps.live.end(reply.id);
    deps.events.publish(endingOf(stored));
  }
  return stored;
}

/**
 * Recovers every reply whose lease expired: run at start and periodically,
 * so no row stays STREAMING once its producer is gone. Replies this process
 * is producing are left alone even if the store missed their renewals.
 */
export async function recoverAbandonedReplies(deps: RecoverRepliesDeps): Promise<number> {
  let recovered = 0;
  for (let batch = 0; batch < SWEEP_BATCHES; batch++) {
    const expired = (await deps.chats.findExpiredReplies(deps.clock.now(), SWEEP_BATCH)).filter(
      (reply) => !deps.replies.isRunning(reply.id),
    );
    for (const reply of expired) {
      if ((await recoverAbandonedReply(deps, reply)) !== undefined) recovered += 1;
    }
    if (expired.length < SWEEP_BATCH) break;
  }
  if (recovered > 0) deps.logger.warn({ count: recovered }, 'replies whose producer stopped renewing its lease were recovered');
  return recovered;
}
