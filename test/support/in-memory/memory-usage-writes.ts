import type { BudgetHold } from '../../../src/domain/budget.js';
import type { DomainError } from '../../../src/domain/errors.js';
import { claimRefusal, type TurnClaim, type UsageSettlement } from '../../../src/domain/usage-claim.js';
import { totalTokens, type UsageRecord } from '../../../src/domain/usage.js';
import { countersOf, emptyBudgetRow, ledgerRowOf, reservationRowOf, type BudgetRow } from '../../../src/infra/db/usage-rows.js';
import { DuplicateKey, ledgerKey, type MemoryTables } from './memory-tables.js';

/*
 * The writes that account for usage, as src/infra/db/knex-usage-writes.ts
 * does them in SQL, statement for statement: they run inside the in-memory
 * repository's transactions (a claim held with its turn, settled with its
 * reply's ending), so the same turns are refused and the same counters come
 * out on every store.
 */

/**
 * The CASE expression of each budget column: the row's period (`key`) is the
 * claim's (`period`): change it; the row's period has passed: the claim's
 * period starts with `fresh`; the claim is of a passed period: leave it.
 * String order, as SQL compares the keys ('' before any period).
 */
const rolled = (key: string, period: string, value: number, change: number, fresh: number): number =>
  key === period ? value + change : key < period ? fresh : value;
const rolledKey = (key: string, period: string): string => (key < period ? period : key);

/**
 * Holds the claim's worst case in the user's budget row, only if it still
 * fits every limit it was admitted under; throws QUOTA_EXCEEDED or
 * RATE_LIMITED (the caller's transaction then rolls the turn back).
 */
export function holdTurnBudget(tables: MemoryTables, claim: TurnClaim): void {
  if (holdsSomething(claim)) holdOrRefuse(tables, claim);
  const reservation = reservationRowOf(claim);
  if (tables.reservations.has(reservation.message_id)) throw new DuplicateKey('usage_reservations', reservation.message_id);
  tables.reservations.set(reservation.message_id, reservation);
  if (claim.summary !== undefined) writeLedgerRow(tables, claim.summary);
}

const holdsSomething = ({ limits, hold, summary }: TurnClaim): boolean =>
  hold.holdsReplySlot || hold.tokens > 0 || hold.micros > 0 || summary !== undefined || limits.dailyTokens !== null || limits.monthlyBudgetMicros !== null;

function holdOrRefuse(tables: MemoryTables, claim: TurnClaim): void {
  let held = holdInRow(tables, claim);
  if (!held && !tables.budgets.has(claim.userId)) {
    // The row is made at admission (Budgets.countersOf); the knex store makes it here too if it went missing since.
    tables.budgets.set(claim.userId, emptyBudgetRow(claim.userId, claim.at));
    held = holdInRow(tables, claim);
  }
  if (!held) throw refusal(tables, claim);
}

/** The conditional UPDATE: its WHERE (the fit, against the row as it stands) and its SET. */
function holdInRow(tables: MemoryTables, claim: TurnClaim): boolean {
  const row = tables.budgets.get(claim.userId);
  if (row === undefined) return false;
  const { hold, limits, summary } = claim;
  const c = countersOf(row);
  const dayUsed = c.dayKey === hold.day ? c.daySpentTokens + c.dayReservedTokens : 0;
  const monthUsed = c.monthKey === hold.month ? c.monthSpentMicros + c.monthReservedMicros : 0;
  // The summary was spent already: it is recorded whatever it leaves; only the reply's worst case must fit.
  if (limits.dailyTokens !== null && dayUsed + hold.tokens > limits.dailyTokens) return false;
  if (limits.monthlyBudgetMicros !== null && monthUsed + hold.micros > limits.monthlyBudgetMicros) return false;
  if (hold.holdsReplySlot && limits.concurrentReplies !== null && c.runningReplies + 1 > limits.concurrentReplies) return false;
  const summaryTokens = summary === undefined ? 0 : totalTokens(summary.counts);
  const summaryMicros = summary?.costMicros ?? 0;
  tables.budgets.set(claim.userId, {
    ...row,
    day_spent_tokens: rolled(c.dayKey, hold.day, c.daySpentTokens, summaryTokens, summaryTokens),
    day_reserved_tokens: rolled(c.dayKey, hold.day, c.dayReservedTokens, hold.tokens, hold.tokens),
    month_spent_micros: rolled(c.monthKey, hold.month, c.monthSpentMicros, summaryMicros, summaryMicros),
    month_reserved_micros: rolled(c.monthKey, hold.month, c.monthReservedMicros, hold.micros, hold.micros),
    running_replies: c.runningReplies + (hold.holdsReplySlot ? 1 : 0),
    day_key: rolledKey(c.dayKey, hold.day),
    month_key: rolledKey(c.monthKey, hold.month),
    updated_at: claim.at.getTime(),
  });
  return true;
}

/** Why the hold did not fit, read from the row as it is now. */
function refusal(tables: MemoryTables, claim: TurnClaim): DomainError {
  const row = tables.budgets.get(claim.userId);
  return claimRefusal(row && countersOf(row), claim);
}

/**
 * Ends a claim: the reply's actual usage replaces its hold in the period it
 * was admitted in, its reply slot is given back and its ledger row written.
 * The reservation stays until pruned (UsageLedger.pruneSettledClaims).
 */
export function settleUsage(tables: MemoryTables, settlement: UsageSettlement): void {
  releaseHold(tables, settlement.record, settlement.hold);
  writeLedgerRow(tables, settlement.record);
}

/** Settles a claim whose reply is gone; false when its reservation was settled already (deleting it decides who settles). */
export function settleOrphanedClaim(tables: MemoryTables, settlement: UsageSettlement): boolean {
  if (!tables.reservations.delete(settlement.record.messageId)) return false;
  settleUsage(tables, settlement);
  return true;
}

/** INSERT ... ON CONFLICT (user_id) DO UPDATE: the first reply of a user without limits makes their row. */
function releaseHold(tables: MemoryTables, record: UsageRecord, hold: BudgetHold): void {
  const tokens = totalTokens(record.counts);
  const at = record.at.getTime();
  const row = tables.budgets.get(record.userId);
  if (row === undefined) {
    const fresh: BudgetRow = {
      user_id: record.userId,
      day_key: hold.day,
      day_spent_tokens: tokens,
      day_reserved_tokens: 0,
      month_key: hold.month,
      month_spent_micros: record.costMicros,
      month_reserved_micros: 0,
      running_replies: 0,
      updated_at: at,
    };
    tables.budgets.set(record.userId, fresh);
    return;
  }
  const c = countersOf(row);
  tables.budgets.set(record.userId, {
    ...row,
    day_spent_tokens: rolled(c.dayKey, hold.day, c.daySpentTokens, tokens, tokens),
    day_reserved_tokens: rolled(c.dayKey, hold.day, c.dayReservedTokens, -hold.tokens, 0),
    month_spent_micros: rolled(c.monthKey, hold.month, c.monthSpentMicros, record.costMicros, record.costMicros),
    month_reserved_micros: rolled(c.monthKey, hold.month, c.monthReservedMicros, -hold.micros, 0),
    running_replies: c.runningReplies - (hold.holdsReplySlot ? 1 : 0),
    day_key: rolledKey(c.dayKey, hold.day),
    month_key: rolledKey(c.monthKey, hold.month),
    updated_at: at,
  });
}

/** Written once per (message, kind): a retried ending changes nothing (ON CONFLICT DO NOTHING). */
function writeLedgerRow(tables: MemoryTables, record: UsageRecord): void {
  const key = ledgerKey(record.messageId, record.kind);
  if (!tables.ledger.has(key)) tables.ledger.set(key, ledgerRowOf(record));
}
