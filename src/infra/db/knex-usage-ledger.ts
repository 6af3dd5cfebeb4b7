import type { Knex } from 'knex';
import type { OpenClaim, UsageSettlement } from '../../domain/usage-claim.js';
import { CHANNELS, USAGE_KINDS, type Channel, type UsageKind, type UsageRecord } from '../../domain/usage.js';
import type { UsageGroup, UsageLedger } from '../../use-cases/ports.js';
import { MessageRow } from './message-row.js';
import { settleOrphanedClaim } from './knex-usage-writes.js';
import { LEDGER_TABLE, RESERVATIONS_TABLE, openClaimOf, usageRecordOf, type LedgerRow, type ReservationRow } from './usage-rows.js';

type Int = number | string | null;

interface GroupRow {
  model: string;
  channel: string;
  kind: string;
  prompt_tokens: Int;
  cached_prompt_tokens: Int;
  completion_tokens: Int;
  reasoning_tokens: Int;
  cost_micros: Int;
  calls: Int;
  estimated_calls: Int;
}

/** The usage ledger's reads, and the settling of claims whose reply was deleted, on SQLite or MySQL. */
export class KnexUsageLedger implements UsageLedger {
  constructor(private readonly knex: Knex) {}

  async groups(userId: string, from: Date, to: Date): Promise<UsageGroup[]> {
    // The (user_id, created_at) index bounds the scan to the user's rows in the range.
    const rows: GroupRow[] = await this.knex(LEDGER_TABLE)
      .select('model', 'channel', 'kind')
      .sum({ prompt_tokens: 'prompt_tokens', cached_prompt_tokens: 'cached_prompt_tokens', completion_tokens: 'completion_tokens' })
      .sum({ reasoning_tokens: 'reasoning_tokens', cost_micros: 'cost_micros' })
      .count({ calls: '*' })
      .select(this.knex.raw('SUM(CASE WHEN estimated THEN 1 ELSE 0 END) AS estimated_calls'))
      .where('user_id', userId)
      .where('created_at', '>=', from.getTime())
      .where('created_at', '<', to.getTime())
      .groupBy('model', 'channel', 'kind');
    const number = (value: Int) => Number(value ?? 0);
    return rows.map((row) => ({
      model: row.model,
      channel: oneOf<Channel>(CHANNELS, row.channel, 'other'),
      kind: oneOf<UsageKind>(USAGE_KINDS, row.kind, 'reply'),
      counts: {
        promptTokens: number(row.prompt_tokens),
        cachedPromptTokens: number(row.cached_prompt_tokens),
        completionTokens: number(row.completion_tokens),
        reasoningTokens: row.reasoning_tokens === null ? null : number(row.reasoning_tokens),
      },
      costMicros: number(row.cost_micros),
      calls: number(row.calls),
      estimatedCalls: number(row.estimated_calls),
    }));
  }

  async replyRecords(messageIds: readonly string[]): Promise<Map<string, UsageRecord>> {
    const records = new Map<string, UsageRecord>();
    if (messageIds.length === 0) return records;
    const rows = await this.knex<LedgerRow>(LEDGER_TABLE).whereIn('message_id', [...new Set(messageIds)]).where('kind', 'reply');
    for (const row of rows) records.set(row.message_id, usageRecordOf(row));
    return records;
  }

  async findClaim(messageId: string): Promise<OpenClaim | undefined> {
    const row = await this.knex<ReservationRow>(RESERVATIONS_TABLE).where('message_id', messageId).first();
    return row === undefined ? undefined : openClaimOf(row);
  }

  async orphanedClaims(limit: number): Promise<OpenClaim[]> {
    // A claim is written with its reply and settled with its ending (its ledger row), so an
    // unsettled one without a reply lost it to a deleted chat.
    const rows: ReservationRow[] = await this.knex(`${RESERVATIONS_TABLE} as r`)
      .select('r.*')
      .leftJoin(`${MessageRow.tableName} as m`, 'm.id', 'r.message_id')
      .leftJoin(`${LEDGER_TABLE} as l`, (on) => on.on('l.message_id', '=', 'r.message_id').andOnVal('l.kind', '=', 'reply'))
      .whereNull('m.id')
      .whereNull('l.message_id')
      .limit(limit);
    return rows.map(openClaimOf);
  }

  async pruneSettledClaims(limit: number): Promise<number> {
    const settled: { message_id: string }[] = await this.knex(`${RESERVATIONS_TABLE} as r`)
      .select('r.message_id')
      .join(`${LEDGER_TABLE} as l`, (on) => on.on('l.message_id', '=', 'r.message_id').andOnVal('l.kind', '=', 'reply'))
      .limit(limit);
    if (settled.length === 0) return 0;
    return this.knex(RESERVATIONS_TABLE)
      .whereIn(
        'message_id',
        settled.map((row) => row.message_id),
      )
      .delete();
  }

  async settleOrphan(settlement: UsageSettlement): Promise<boolean> {
    return this.knex.transaction((trx) => settleOrphanedClaim(trx, settlement));
  }
}

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
