import type { Knex } from 'knex';
import type { BudgetHold } from '../../domain/budget.js';
import type { DomainError } from '../../domain/errors.js';
import { claimRefusal, type TurnClaim, type UsageSettlement } from '../../domain/usage-claim.js';
import { totalTokens, type UsageRecord } from '../../domain/usage.js';
import {
  BUDGETS_TABLE,
  LEDGER_COLUMNS,
  LEDGER_TABLE,
  RESERVATION_COLUMNS,
  RESERVATIONS_TABLE,
  bindingsOf,
  countersOf,
  emptyBudgetRow,
  ledgerRowOf,
  reservationRowOf,
  type BudgetRow,
} from './usage-rows.js';
import { fixedChanges } from './fixed-sql.js';

/*
 * The writes that account for usage, run inside the chat repository's
 * transactions: a turn's claim is held with the turn (recordTurn), a reply's
 * usage settled with its ending (finishReply, recoverReply). Every
 * transaction touches the user's budget row after the messages and before
 * the reservation and the ledger, in that order, so two of them never wait
 * on each other in opposite orders.
 *
 * They run on every turn, so they are written as SQL once, here, rather
 * than built per call: the query builder costs more CPU than SQLite takes to
 * run them. Table and column names are plain identifiers, valid unquoted on
 * both engines.
 */

/*
 * A budget row counts one day and one month: the newest a claim has reached.
 * A claim of a later period moves the row on to it (the old period's figures
 * go), one of an earlier period (it was admitted before midnight) leaves the
 * row as it is. Keys are assigned last: MySQL evaluates assignments left to
 * right, SQLite against the old row.
 */
const rolled = (period: 'day' | 'month', column: string, change: string) =>
  `${column} = CASE WHEN ${period}_key = ? THEN ${column} ${change} WHEN ${period}_key < ? THEN ? ELSE ${column} END`;
const KEYS = 'day_key = CASE WHEN day_key < ? THEN ? ELSE day_key END, month_key = CASE WHEN month_key < ? THEN ? ELSE month_key END';

const HOLD_SQL = `UPDATE ${BUDGETS_TABLE} SET
  ${rolled('day', 'day_spent_tokens', '+ ?')},
  ${rolled('day', 'day_reserved_tokens', '+ ?')},
  ${rolled('month', 'month_spent_micros', '+ ?')},
  ${rolled('month', 'month_reserved_micros', '+ ?')},
  running_replies = running_replies + ?,
  ${KEYS}, updated_at = ?
  WHERE user_id = ?`;
const FITS_DAY = ' AND (CASE WHEN day_key = ? THEN day_spent_tokens + day_reserved_tokens ELSE 0 END) + ? <= ?';
const FITS_MONTH = ' AND (CASE WHEN month_key = ? THEN month_spent_micros + month_reserved_micros ELSE 0 END) + ? <= ?';
const FITS_SLOT = ' AND running_replies + 1 <= ?';

// What a reply spent replaces what its claim held; the first reply of a user makes their row.
const RELEASE_SET = `
  ${rolled('day', 'day_spent_tokens', '+ ?')},
  ${rolled('day', 'day_reserved_tokens', '- ?')},
  ${rolled('month', 'month_spent_micros', '+ ?')},
  ${rolled('month', 'month_reserved_micros', '- ?')},
  running_replies = running_replies - ?,
  ${KEYS}, updated_at = ?`;
const RELEASE_INSERT = `INSERT INTO ${BUDGETS_TABLE}
  (user_id, day_key, day_spent_tokens, day_reserved_tokens, month_key, month_spent_micros, month_reserved_micros, running_replies, updated_at)
  VALUES (?, ?, ?, 0, ?, ?, 0, 0, ?)`;
const RELEASE_SQL = {
  sqlite3: `${RELEASE_INSERT} ON CONFLICT (user_id) DO UPDATE SET ${RELEASE_SET}`,
  mysql: `${RELEASE_INSERT} ON DUPLICATE KEY UPDATE ${RELEASE_SET}`,
};

const DROP_CLAIM_SQL = `DELETE FROM ${RESERVATIONS_TABLE} WHERE message_id = ?`;

const INSERT_RESERVATION_SQL = `INSERT INTO ${RESERVATIONS_TABLE} (${RESERVATION_COLUMNS.join(', ')}) VALUES (${RESERVATION_COLUMNS.map(() => '?').join(', ')})`;

const LEDGER_VALUES = `(${LEDGER_COLUMNS.join(', ')}) VALUES (${LEDGER_COLUMNS.map(() => '?').join(', ')})`;
/** Written once per (message, kind): a retried ending changes nothing. */
const INSERT_LEDGER_SQL = {
  sqlite3: `INSERT INTO ${LEDGER_TABLE} ${LEDGER_VALUES} ON CONFLICT (message_id, kind) DO NOTHING`,
  mysql: `INSERT INTO ${LEDGER_TABLE} ${LEDGER_VALUES} ON DUPLICATE KEY UPDATE message_id = message_id`,
};

/**
 * Holds the claim's worst case in the user's budget row, only if it still
 * fits every limit it was admitted under: one conditional UPDATE, so turns
 * racing in any number of processes cannot overshoot. The row's day and
 * month roll over here when they have passed. Throws QUOTA_EXCEEDED or
 * RATE_LIMITED (rolling the whole turn back) when it does not fit.
 */
export async function holdTurnBudget(trx: Knex.Transaction, claim: TurnClaim): Promise<void> {
  // Nothing to hold or check (no limit applies): the reply's spend is counted when it settles.
  if (holdsSomething(claim)) await holdOrRefuse(trx, claim);
  await fixedChanges(trx, INSERT_RESERVATION_SQL, bindingsOf(reservationRowOf(claim), RESERVATION_COLUMNS));
  if (claim.summary !== undefined) await writeLedgerRow(trx, claim.summary);
}

const holdsSomething = ({ limits, hold, summary }: TurnClaim): boolean =>
  hold.holdsReplySlot || hold.tokens > 0 || hold.micros > 0 || summary !== undefined || limits.dailyTokens !== null || limits.monthlyBudgetMicros !== null;

async function holdOrRefuse(trx: Knex.Transaction, claim: TurnClaim): Promise<void> {
  let held = await holdInRow(trx, claim);
  if (held === 0 && (await trx<BudgetRow>(BUDGETS_TABLE).where('user_id', claim.userId).first('user_id')) === undefined) {
    // The row is made at admission; it can only be missing if it was deleted since (a test emptying tables).
    await trx(BUDGETS_TABLE).insert(emptyBudgetRow(claim.userId, claim.at)).onConflict('user_id').ignore();
    held = await holdInRow(trx, claim);
  }
  if (held !== 1) throw await refusal(trx, claim);
}

async function holdInRow(trx: Knex.Transaction, claim: TurnClaim): Promise<number> {
  const { hold, limits, summary } = claim;
  const summaryTokens = summary === undefined ? 0 : totalTokens(summary.counts);
  const summaryMicros = summary?.costMicros ?? 0;
  let sql = HOLD_SQL;
  const { day, month } = hold;
  const bindings: Knex.Value[] = [
    day, summaryTokens, day, summaryTokens,
    day, hold.tokens, day, hold.tokens,
    month, summaryMicros, month, summaryMicros,
    month, hold.micros, month, hold.micros,
    hold.holdsReplySlot ? 1 : 0,
    day, day, month, month, claim.at.getTime(),
    claim.userId,
  ];
  // The summary was spent already: it is recorded whatever it leaves, and only the reply's worst case must fit.
  if (limits.dailyTokens !== null) {
    sql += FITS_DAY;
    bindings.push(hold.day, hold.tokens, limits.dailyTokens);
  }
  if (limits.monthlyBudgetMicros !== null) {
    sql += FITS_MONTH;
    bindings.push(hold.month, hold.micros, limits.monthlyBudgetMicros);
  }
  if (hold.holdsReplySlot && limits.concurrentReplies !== null) {
    sql += FITS_SLOT;
    bindings.push(limits.concurrentReplies);
  }
  return fixedChanges(trx, sql, bindings);
}

/** Why the hold did not fit, read from the row as it is now. */
async function refusal(trx: Knex.Transaction, claim: TurnClaim): Promise<DomainError> {
  const row = await trx<BudgetRow>(BUDGETS_TABLE).where('user_id', claim.userId).first();
  return claimRefusal(row && countersOf(row), claim);
}

/**
 * Ends a claim: the reply's actual usage replaces its hold in the period it
 * was admitted in (a period that has passed keeps what it had), its reply
 * slot is given back and its ledger row is written. The caller runs it once
 * per reply: in the transaction that moves the reply out of STREAMING. The
 * reservation row stays until a sweep prunes it (see pruneSettledClaims):
 * deleting it here would cost every turn one more round trip.
 */
export async function settleUsage(trx: Knex.Transaction, settlement: UsageSettlement): Promise<void> {
  await releaseHold(trx, settlement.record, settlement.hold);
  await writeLedgerRow(trx, settlement.record);
}

/** Settles a claim whose reply is gone; false when its reservation was settled already. */
export async function settleOrphanedClaim(trx: Knex.Transaction, settlement: UsageSettlement): Promise<boolean> {
  // The reservation's own delete decides who settles it: here there is no reply row to guard it.
  if ((await fixedChanges(trx, DROP_CLAIM_SQL, [settlement.record.messageId])) === 0) return false;
  await releaseHold(trx, settlement.record, settlement.hold);
  await writeLedgerRow(trx, settlement.record);
  return true;
}

async function releaseHold(trx: Knex.Transaction, record: UsageRecord, hold: BudgetHold): Promise<void> {
  const { day, month } = hold;
  const tokens = totalTokens(record.counts);
  const at = record.at.getTime();
  const sql = trx.client.dialect === 'mysql' ? RELEASE_SQL.mysql : RELEASE_SQL.sqlite3;
  await fixedChanges(trx, sql, [
    record.userId, day, tokens, month, record.costMicros, at,
    day, tokens, day, tokens,
    day, hold.tokens, day, 0,
    month, record.costMicros, month, record.costMicros,
    month, hold.micros, month, 0,
    hold.holdsReplySlot ? 1 : 0,
    day, day, month, month, at,
  ]);
}

async function writeLedgerRow(trx: Knex.Transaction, record: UsageRecord): Promise<void> {
  const sql = trx.client.dialect === 'mysql' ? INSERT_LEDGER_SQL.mysql : INSERT_LEDGER_SQL.sqlite3;
  await fixedChanges(trx, sql, bindingsOf(ledgerRowOf(record), LEDGER_COLUMNS));
}
