import type { OpenClaim, UsageSettlement } from '../../../src/domain/usage-claim.js';
import type { UsageRecord } from '../../../src/domain/usage.js';
import { openClaimOf, usageRecordOf } from '../../../src/infra/db/usage-rows.js';
import type { UsageGroup, UsageLedger } from '../../../src/use-cases/ports.js';
import { ledgerKey, type MemoryTables } from './memory-tables.js';
import { settleOrphanedClaim } from './memory-usage-writes.js';

/** The usage ledger's reads and the settling of orphaned claims, in memory (KnexUsageLedger's behaviour). */
export class InMemoryUsageLedger implements UsageLedger {
  constructor(private readonly tables: MemoryTables) {}

  async groups(userId: string, from: Date, to: Date): Promise<UsageGroup[]> {
    const byGroup = new Map<string, UsageRecord[]>();
    for (const row of this.tables.ledger.values()) {
      const record = usageRecordOf(row);
      const at = record.at.getTime();
      if (record.userId !== userId || at < from.getTime() || at >= to.getTime()) continue;
      const key = JSON.stringify([record.model, record.channel, record.kind]);
      byGroup.set(key, [...(byGroup.get(key) ?? []), record]);
    }
    return [...byGroup.values()].map(sumOf);
  }

  async replyRecords(messageIds: readonly string[]): Promise<Map<string, UsageRecord>> {
    const records = new Map<string, UsageRecord>();
    for (const messageId of new Set(messageIds)) {
      const row = this.tables.ledger.get(ledgerKey(messageId, 'reply'));
      if (row !== undefined) records.set(messageId, usageRecordOf(row));
    }
    return records;
  }

  async findClaim(messageId: string): Promise<OpenClaim | undefined> {
    const row = this.tables.reservations.get(messageId);
    return row === undefined ? undefined : openClaimOf(row);
  }

  /** Unsettled (no reply row in the ledger) and without their reply: it went with a deleted chat. */
  async orphanedClaims(limit: number): Promise<OpenClaim[]> {
    return [...this.tables.reservations.values()]
      .filter((row) => !this.tables.messages.has(row.message_id) && !this.isSettled(row.message_id))
      .slice(0, limit)
      .map(openClaimOf);
  }

  async pruneSettledClaims(limit: number): Promise<number> {
    const settled = [...this.tables.reservations.keys()].filter((messageId) => this.isSettled(messageId)).slice(0, limit);
    for (const messageId of settled) this.tables.reservations.delete(messageId);
    return settled.length;
  }

  async settleOrphan(settlement: UsageSettlement): Promise<boolean> {
    return this.tables.transaction(() => settleOrphanedClaim(this.tables, settlement));
  }

  private isSettled(messageId: string): boolean {
    return this.tables.ledger.has(ledgerKey(messageId, 'reply'));
  }
}

/**
 * The rows of one group added up, as SQL's SUM and COUNT do it: reasoning
 * tokens are NULL when every row's are (SUM skips NULLs, and is NULL over
 * nothing but NULLs).
 */
function sumOf(records: readonly UsageRecord[]): UsageGroup {
  const { model, channel, kind } = records[0]!;
  const sum = (pick: (record: UsageRecord) => number) => records.reduce((total, record) => total + pick(record), 0);
  const reasoning = records.flatMap((record) => (record.counts.reasoningTokens === null ? [] : [record.counts.reasoningTokens]));
  return {
    model,
    channel,
    kind,
    counts: {
      promptTokens: sum((r) => r.counts.promptTokens),
      cachedPromptTokens: sum((r) => r.counts.cachedPromptTokens),
      completionTokens: sum((r) => r.counts.completionTokens),
      reasoningTokens: reasoning.length === 0 ? null : reasoning.reduce((a, b) => a + b, 0),
    },
    costMicros: sum((r) => r.costMicros),
    calls: records.length,
    estimatedCalls: records.filter((r) => r.estimated).length,
  };
}
