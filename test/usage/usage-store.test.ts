import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { KnexBudgets } from '../../src/infra/db/knex-budgets.js';
import { KnexUsageLedger } from '../../src/infra/db/knex-usage-ledger.js';
import { storeEngines, useStore } from '../support/mysql.js';
import { DAY, NOW, USER, endingOf, turnWithClaim } from './turn-fixtures.js';

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe.each(storeEngines())('usage accounting in the store on %s', (engine) => {
  const store = useStore(engine);
  const repo = () => store().repository;
  const clock = { now: () => NOW };
  const budgets = () => new KnexBudgets(store().knex, clock);
  const ledger = () => new KnexUsageLedger(store().knex);
  const counters = () => budgets().countersOf(USER);

  it('holds a claim with its turn, and refuses one that no longer fits, storing nothing of it', async () => {
    await budgets().countersOf(USER);
    const first = turnWithClaim({ tokens: 600, micros: 300, limits: { dailyTokens: 1_000, monthlyBudgetMicros: 10_000 } });
    await repo().recordTurn(first.turn);
    expect(await counters()).toMatchObject({ dayKey: DAY, dayReservedTokens: 600, monthReservedMicros: 300, runningReplies: 0 });

    const second = turnWithClaim({ tokens: 600, micros: 300, limits: { dailyTokens: 1_000 } });
    const error = await rejection(repo().recordTurn(second.turn));
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.retryAfterMs).toBe(Date.parse('2026-11-29T00:00:00Z') - NOW.getTime());
    expect(await repo().findChat(USER, second.turn.chatId)).toBeUndefined();
    expect(await repo().findMessage(second.reply.id)).toBeUndefined();
    expect(await ledger().findClaim(second.reply.id)).toBeUndefined();
    expect(await counters()).toMatchObject({ dayReservedTokens: 600 });
  });

  it('holds a reply slot under a concurrency limit, and refuses the next with RATE_LIMITED', async () => {
    await budgets().countersOf(USER);
    await repo().recordTurn(turnWithClaim({ tokens: 10, slot: true, limits: { concurrentReplies: 1 } }).turn);
    const error = await rejection(repo().recordTurn(turnWithClaim({ tokens: 10, slot: true, limits: { concurrentReplies: 1 } }).turn));
    expect(error.code).toBe('RATE_LIMITED');
    expect(await counters()).toMatchObject({ runningReplies: 1 });
  });

  it('settles a claim exactly once, however often its ending is written', async () => {
    await budgets().countersOf(USER);
    const limits = { concurrentReplies: 2, dailyTokens: 10_000, monthlyBudgetMicros: 10_000 };
    const { turn, claim, reply } = turnWithClaim({ tokens: 500, micros: 400, slot: true, limits });
    await repo().recordTurn(turn);
    expect(await counters()).toMatchObject({ dayReservedTokens: 500, monthReservedMicros: 400, runningReplies: 1 });
    const ending = endingOf(claim, 40, 30);
    await repo().finishReply(reply, ending);
    await repo().finishReply(reply, ending);

    expect(await counters()).toMatchObject({ daySpentTokens: 65, dayReservedTokens: 0, monthSpentMicros: 30, monthReservedMicros: 0, runningReplies: 0 });
    const records = await ledger().replyRecords([reply.id]);
    expect(records.get(reply.id)).toMatchObject({ costMicros: 30, counts: { promptTokens: 25, completionTokens: 40 } });
    // The settled claim is pruned by the sweeps, off the turn's path.
    expect(await ledger().orphanedClaims(10)).toEqual([]);
    expect(await ledger().pruneSettledClaims(10)).toBe(1);
    expect(await ledger().findClaim(reply.id)).toBeUndefined();
  });

  it('holds nothing for a user without limits, and still counts what their replies spend (the first makes their row)', async () => {
    const { turn, claim, reply } = turnWithClaim({ tokens: 500, micros: 400 });
    await repo().recordTurn(turn);
    expect(await store().knex('usage_budgets').where('user_id', USER).first()).toBeUndefined();
    await repo().finishReply(reply, endingOf(claim, 40, 30));
    expect(await counters()).toMatchObject({ dayKey: DAY, daySpentTokens: 65, dayReservedTokens: 0, monthSpentMicros: 30, runningReplies: 0 });
    const next = turnWithClaim({ tokens: 500 });
    await repo().recordTurn(next.turn);
    await repo().finishReply(next.reply, endingOf(next.claim, 10, 7));
    expect(await counters()).toMatchObject({ daySpentTokens: 100, dayReservedTokens: 0, monthSpentMicros: 37, monthReservedMicros: 0, runningReplies: 0 });
  });

  it('rolls a passed day over at the next hold; a claim of a passed day settles into that day only', async () => {
    await budgets().countersOf(USER);
    const yesterday = turnWithClaim({ tokens: 900, day: '2026-11-27', limits: { dailyTokens: 1_000 } });
    await repo().recordTurn(yesterday.turn);
    // Today starts from zero: yesterday's 900 held do not count against it.
    const today = turnWithClaim({ tokens: 800, limits: { dailyTokens: 1_000 } });
    await repo().recordTurn(today.turn);
    expect(await counters()).toMatchObject({ dayKey: DAY, daySpentTokens: 0, dayReservedTokens: 800 });

    await repo().finishReply(yesterday.reply, endingOf(yesterday.claim, 100, 5));
    expect(await counters()).toMatchObject({ dayKey: DAY, daySpentTokens: 0, dayReservedTokens: 800 });
    // The same month: what yesterday's reply cost counts in it.
    expect(await counters()).toMatchObject({ monthSpentMicros: 5 });
  });

  it('settles the claim of an abandoned reply whose chat was deleted, once', async () => {
    await budgets().countersOf(USER);
    const { turn, claim } = turnWithClaim({ tokens: 300, micros: 50, slot: true, limits: { concurrentReplies: 3 } }, true);
    await repo().recordTurn(turn);
    // A settled reply whose chat is deleted leaves nothing to settle.
    const settled = turnWithClaim({ tokens: 10 });
    await repo().recordTurn(settled.turn);
    await repo().finishReply(settled.reply, endingOf(settled.claim, 1, 1));
    expect(await repo().deleteChat(USER, settled.turn.chatId)).toBe(true);
    expect(await repo().deleteChat(USER, turn.chatId)).toBe(true);

    const orphans = await ledger().orphanedClaims(10);
    expect(orphans.map((o) => o.messageId)).toEqual([claim.messageId]);
    const settlement = endingOf(claim, 0, 4).settlement;
    expect(await ledger().settleOrphan(settlement)).toBe(true);
    expect(await ledger().settleOrphan(settlement)).toBe(false);
    expect(await ledger().orphanedClaims(10)).toEqual([]);
    expect(await counters()).toMatchObject({ dayReservedTokens: 0, monthReservedMicros: 0, monthSpentMicros: 5, runningReplies: 0 });
    // The bill outlives the chat.
    expect((await ledger().replyRecords([claim.messageId])).size).toBe(1);
  });
});
