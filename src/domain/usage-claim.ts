import { refusalOf, standingIn, type BudgetCounters, type BudgetHold } from './budget.js';
import { DomainError } from './errors.js';
import type { Channel, UsageRecord } from './usage.js';
import type { LimitSettings } from './user-limits.js';

/**
 * What a turn claims from its user's budgets, stored with the turn (in the
 * same transaction) and tied to its assistant message: the store admits it
 * only if the hold still fits the limits, atomically, so concurrent turns
 * (any process) never overshoot. It stays until the reply ends, or until its
 * expired reply is recovered, and is then settled exactly once.
 */
export interface TurnClaim {
  readonly messageId: string;
  readonly userId: string;
  readonly chatId: string;
  readonly channel: Channel;
  readonly model: string;
  /** The prompt as counted when sent (exact tokenizer): the estimate when the upstream reports no usage. */
  readonly promptTokens: number;
  readonly hold: BudgetHold;
  /** The limits the hold is checked against, as they were at admission. */
  readonly limits: LimitSettings;
  /** The summary the turn folded before its reply: already spent, recorded with the turn. */
  readonly summary?: UsageRecord | undefined;
  readonly at: Date;
}

/** A claim as the store keeps it until it is settled: enough to settle it from any process. */
export type OpenClaim = Omit<TurnClaim, 'limits' | 'summary'>;

/** How a claim ends: its reply's ledger row replaces its hold. */
export interface UsageSettlement {
  readonly record: UsageRecord;
  readonly hold: BudgetHold;
}

/**
 * Why a claim's hold did not fit its user's budget counters as they are now
 * (read after the store refused the hold): RATE_LIMITED or QUOTA_EXCEEDED,
 * or UNAVAILABLE when the counters show no reason (their row went away).
 */
export function claimRefusal(counters: BudgetCounters | undefined, claim: TurnClaim): DomainError {
  const { hold } = claim;
  const found =
    counters === undefined
      ? undefined
      : refusalOf(
          standingIn(counters, { day: hold.day, month: hold.month }),
          claim.limits,
          { tokens: hold.tokens, micros: hold.micros, replySlot: hold.holdsReplySlot },
          claim.at,
        );
  return found?.error ?? new DomainError('UNAVAILABLE', 'Usage limits could not be checked; try again shortly');
}
