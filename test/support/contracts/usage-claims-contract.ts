import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTERS } from '../../../src/domain/budget.js';
import { DAY, MONTH, NOW, USER, endingOf, turnWithClaim } from '../../usage/turn-fixtures.js';
import { expectDomainError } from './store-fixtures.js';
import type { StoresUnderTest } from './stores-under-test.js';

/**
 * The contract of usage claims: a turn holds its claim on the user's budget
 * row in the transaction that stores it (TurnRecord.claim), and the ending of
 * its reply settles it exactly once (finishReply, recoverReply), or the
 * sweeps do when the reply went with its chat. Run against every store with
 * the chat repository contract: the counters and refusals must be the same.
 */
export function usageClaimsContract(stores: () => StoresUnderTest): void {
  const repo = () => stores().repository;
  const counters = () => stores().budgets.peek(USER);

  describe('usage claims', () => {
    it('holds a claim with its turn, and refuses one that no longer fits, storing nothing of it', async () => {
      await stores().budgets.countersOf(USER);
      const first = turnWithClaim({ tokens: 600, micros: 300, limits: { dailyTokens: 1_000, monthlyBudgetMicros: 10_000 } });
      await repo().recordTurn(first.turn);
      expect(await counters()).toMatchObject({ dayKey: DAY, monthKey: MONTH, dayReservedTokens: 600, monthReservedMicros: 300, runningReplies: 0 });
      expect(await stores().ledger.findClaim(first.reply.id)).toMatchObject({ messageId: first.reply.id, userId: USER, hold: first.claim.hold });

      const second = turnWithClaim({ tokens: 600, micros: 300, limits: { dailyTokens: 1_000 } });
      const error = await expectDomainError(repo().recordTurn(second.turn), 'QUOTA_EXCEEDED');
      expect(error.retryAfterMs).toBe(Date.parse('2026-11-29T00:00:00Z') - NOW.getTime());
      expect(await repo().findChat(USER, second.turn.chatId)).toBeUndefined();
      expect(await repo().findMessage(second.reply.id)).toBeUndefined();
      expect(await stores().ledger.findClaim(second.reply.id)).toBeUndefined();
      expect(await counters()).toMatchObject({ dayReservedTokens: 600 });
    });

    it('holds a reply slot under a concurrency limit, and refuses the next with RATE_LIMITED', async () => {
      await stores().budgets.countersOf(USER);
      await repo().recordTurn(turnWithClaim({ tokens: 10, slot: true, limits: { concurrentReplies: 1 } }).turn);

      await expectDomainError(repo().recordTurn(turnWithClaim({ tokens: 10, slot: true, limits: { concurrentReplies: 1 } }).turn), 'RATE_LIMITED');
      expect(await counters()).toMatchObject({ runningReplies: 1 });
    });

    it('makes a missing budget row when a claim must be checked against it', async () => {
      // No countersOf first: the row was never made (or was deleted since admission).
      await repo().recordTurn(turnWithClaim({ tokens: 400, limits: { dailyTokens: 1_000 } }).turn);

      expect(await counters()).toMatchObject({ dayKey: DAY, dayReservedTokens: 400 });
    });

    it('settles a claim exactly once, however often its ending is written', async () => {
      await stores().budgets.countersOf(USER);
      const limits = { concurrentReplies: 2, dailyTokens: 10_000, monthlyBudgetMicros: 10_000 };
      const { turn, claim, reply } = turnWithClaim({ tokens: 500, micros: 400, slot: true, limits });
      await repo().recordTurn(turn);
      expect(await counters()).toMatchObject({ dayReservedTokens: 500, monthReservedMicros: 400, runningReplies: 1 });
      const ending = endingOf(claim, 40, 30);
      await repo().finishReply(reply, ending);
      await repo().finishReply(reply, ending);

      expect(await counters()).toMatchObject({ daySpentTokens: 65, dayReservedTokens: 0, monthSpentMicros: 30, monthReservedMicros: 0, runningReplies: 0 });
      const records = await stores().ledger.replyRecords([reply.id, reply.id]);
      expect([...records.keys()]).toEqual([reply.id]);
      expect(records.get(reply.id)).toEqual(ending.settlement.record);
      // The settled claim is pruned by the sweeps, off the turn's path.
      expect(await stores().ledger.orphanedClaims(10)).toEqual([]);
      expect(await stores().ledger.pruneSettledClaims(10)).toBe(1);
      expect(await stores().ledger.findClaim(reply.id)).toBeUndefined();
    });

    it('holds nothing for a user without limits, and still counts what their replies spend (the first makes their row)', async () => {
      const { turn, claim, reply } = turnWithClaim({ tokens: 500, micros: 400 });
      await repo().recordTurn(turn);
      expect(await counters()).toEqual(EMPTY_COUNTERS);
      await repo().finishReply(reply, endingOf(claim, 40, 30));
      expect(await counters()).toMatchObject({ dayKey: DAY, daySpentTokens: 65, dayReservedTokens: 0, monthSpentMicros: 30, runningReplies: 0 });
      const next = turnWithClaim({ tokens: 500 });
      await repo().recordTurn(next.turn);
      await repo().finishReply(next.reply, endingOf(next.claim, 10, 7));
      expect(await counters()).toMatchObject({ daySpentTokens: 100, dayReservedTokens: 0, monthSpentMicros: 37, monthReservedMicros: 0, runningReplies: 0 });
    });

    it('rolls a passed day over at the next hold; a claim of a passed day settles into that day only', async () => {
      await stores().budgets.countersOf(USER);
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

    it('settles the claim of a recovered reply with it, and not again when its producer writes its ending late', async () => {
      await stores().budgets.countersOf(USER);
      const { turn, claim, reply } = turnWithClaim({ tokens: 300, micros: 20, slot: true, limits: { dailyTokens: 1_000, concurrentReplies: 2 } }, true);
      await repo().recordTurn(turn);
      const [expired] = await repo().findExpiredReplies(NOW, 10);
      const recovered = endingOf(claim, 3, 2);

      expect(await repo().recoverReply(expired!, { ...recovered, status: 'INCOMPLETE', finishReason: 'interrupted', usage: null }, NOW)).toMatchObject({ status: 'INCOMPLETE' });
      await repo().finishReply(reply, endingOf(claim, 50, 40));

      expect(await counters()).toMatchObject({ daySpentTokens: 28, dayReservedTokens: 0, monthSpentMicros: 2, runningReplies: 0 });
      expect((await stores().ledger.replyRecords([reply.id])).get(reply.id)?.costMicros).toBe(2);
    });

    it('settles the claim of an abandoned reply whose chat was deleted, once', async () => {
      await stores().budgets.countersOf(USER);
      const { turn, claim } = turnWithClaim({ tokens: 300, micros: 50, slot: true, limits: { concurrentReplies: 3 } }, true);
      await repo().recordTurn(turn);
      // A settled reply whose chat is deleted leaves nothing to settle.
      const settled = turnWithClaim({ tokens: 10 });
      await repo().recordTurn(settled.turn);
      await repo().finishReply(settled.reply, endingOf(settled.claim, 1, 1));
      expect(await repo().deleteChat(USER, settled.turn.chatId)).toBe(true);
      expect(await repo().deleteChat(USER, turn.chatId)).toBe(true);

      const orphans = await stores().ledger.orphanedClaims(10);
      expect(orphans).toEqual([{ messageId: claim.messageId, userId: USER, chatId: claim.chatId, channel: claim.channel, model: claim.model, promptTokens: claim.promptTokens, hold: claim.hold, at: claim.at }]);
      const settlement = endingOf(claim, 0, 4).settlement;
      expect(await stores().ledger.settleOrphan(settlement)).toBe(true);
      expect(await stores().ledger.settleOrphan(settlement)).toBe(false);
      expect(await stores().ledger.orphanedClaims(10)).toEqual([]);
      expect(await counters()).toMatchObject({ dayReservedTokens: 0, monthReservedMicros: 0, monthSpentMicros: 5, runningReplies: 0 });
      // The bill outlives the chat.
      expect((await stores().ledger.replyRecords([claim.messageId])).size).toBe(1);
    });

    it("adds up a user's ledger rows in a time range by model, channel and kind", async () => {
      const one = turnWithClaim({ tokens: 10 });
      const two = turnWithClaim({ tokens: 10 });
      const other = turnWithClaim({ tokens: 10 }, false, 'someone-else');
      for (const { turn, claim, reply } of [one, two, other]) {
        await repo().recordTurn(turn);
        await repo().finishReply(reply, endingOf(claim, 20, 9));
      }

      const groups = await stores().ledger.groups(USER, new Date(NOW.getTime() - 1), new Date(NOW.getTime() + 1));

      expect(groups).toEqual([
        {
          model: 'gpt-4o-mini',
          channel: 'graphql',
          kind: 'reply',
          counts: { promptTokens: 50, cachedPromptTokens: 0, completionTokens: 40, reasoningTokens: null },
          costMicros: 18,
          calls: 2,
          estimatedCalls: 0,
        },
      ]);
      expect(await stores().ledger.groups(USER, new Date(NOW.getTime() + 1), new Date(NOW.getTime() + 2))).toEqual([]);
    });
  });
}
