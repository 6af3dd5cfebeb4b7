import type { FinalMessageStatus, Message, TokenUsage } from '../domain/message.js';
import type { Encoding } from '../domain/models.js';
import type { OpenClaim, UsageSettlement } from '../domain/usage-claim.js';
import { costMicros, estimatedCounts, reportedCounts, type UsageCounts } from '../domain/usage.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this step needs. */
export type SettleUsageDeps = Pick<CoreDeps, 'usage' | 'tokens' | 'models' | 'clock'>;

/** How a reply ended, as far as its bill is concerned. */
export interface ReplyEnding {
  /** What the upstream reported; null when it reported nothing (an interrupted stream never does). */
  readonly usage: TokenUsage | null;
  /** The text delivered, exactly. */
  readonly text: string;
  readonly status: FinalMessageStatus;
  readonly encoding: Encoding;
}

/**
 * The ledger row of a reply and the hold it replaces. Counts are the
 * upstream's when it reported them; otherwise ours, flagged estimated: the
 * prompt as counted when it was sent, and the delivered text counted with
 * the exact tokenizer. A reply that failed before any text cost nothing:
 * providers do not bill a refused or failed request.
 */
export function replySettlement(deps: SettleUsageDeps, claim: OpenClaim, ending: ReplyEnding): UsageSettlement {
  const estimated = ending.usage === null;
  const counts =
    ending.usage !== null
      ? reportedCounts(ending.usage)
      : estimate(claim.promptTokens, ending.text.length === 0 ? 0 : deps.tokens.count(ending.text, ending.encoding), ending.status);
  const { prices } = deps.usage;
  return {
    hold: claim.hold,
    record: {
      messageId: claim.messageId,
      kind: 'reply',
      userId: claim.userId,
      chatId: claim.chatId,
      channel: claim.channel,
      model: claim.model,
      counts,
      estimated,
      costMicros: costMicros(counts, prices.priceOf(claim.model)?.price),
      priceVersion: prices.version,
      at: deps.clock.now(),
    },
  };
}

const estimate = (promptTokens: number, completionTokens: number, status: FinalMessageStatus): UsageCounts =>
  status === 'FAILED' && completionTokens === 0 ? estimatedCounts(0, 0) : estimatedCounts(promptTokens, completionTokens);

/**
 * The settlement of a reply whose producer is gone, from the claim it left
 * in the store, or undefined when it has none (a reply stored before usage
 * was accounted for).
 */
export async function recoveredSettlement(
  deps: SettleUsageDeps,
  reply: Message,
  ending: Omit<ReplyEnding, 'usage' | 'encoding'>,
): Promise<UsageSettlement | undefined> {
  const claim = await deps.usage.ledger.findClaim(reply.id);
  if (claim === undefined) return undefined;
  return replySettlement(deps, claim, { ...ending, usage: null, encoding: deps.models.resolve(reply.model).spec.encoding });
}

/** Claims settled per sweep, and settled claims pruned per batch and sweep; the sweep runs again soon. */
const ORPHAN_BATCH = 100;
const PRUNE_BATCH = 500;
const PRUNE_BATCHES = 20;

/**
 * The claims' housekeeping, run by the recovery sweeps: prunes settled
 * claims, and settles those whose reply is gone (its chat was deleted after
 * the reply was abandoned): their prompt was sent, so it is billed as
 * estimated, and the hold and reply slot are given back. Returns how many
 * were settled.
 */
export async function settleOrphanedClaims(deps: SettleUsageDeps & Pick<CoreDeps, 'metrics' | 'logger'>): Promise<number> {
  for (let batch = 0; batch < PRUNE_BATCHES; batch++) {
    if ((await deps.usage.ledger.pruneSettledClaims(PRUNE_BATCH)) < PRUNE_BATCH) break;
  }
  let settled = 0;
  for (const claim of await deps.usage.ledger.orphanedClaims(ORPHAN_BATCH)) {
    const settlement = replySettlement(deps, claim, { usage: null, text: '', status: 'INCOMPLETE', encoding: 'o200k_base' });
    if (await deps.usage.ledger.settleOrphan(settlement)) {
      deps.metrics.usageRecorded(settlement.record);
      settled += 1;
    }
  }
  if (settled > 0) deps.logger.warn({ count: settled }, 'usage claims of deleted replies were settled');
  return settled;
}
