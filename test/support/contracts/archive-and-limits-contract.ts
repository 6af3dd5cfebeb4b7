import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../src/domain/chat.js';
import { OWNER, STRANGER, at, createdChat, expectDomainError } from './store-fixtures.js';
import type { StoresUnderTest } from './stores-under-test.js';

/** The contract of the smaller store ports the core reads: the chat archive (exports) and the user limits. */
export function archiveAndLimitsContract(stores: () => StoresUnderTest): void {
  describe('chat archive', () => {
    it("pages through a user's chats oldest first, ties broken by id, whatever their activity", async () => {
      const repo = stores().repository;
      const ids = ['00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-00000000000a'];
      const created: Chat[] = [];
      for (const id of ids) created.push(await createdChat(repo, { id, createdAt: at(5), updatedAt: at(5) }));
      const older = await createdChat(repo, { createdAt: at(1), updatedAt: at(90) });
      await createdChat(repo, { userId: STRANGER, createdAt: at(2) });

      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await stores().archive.listChatsByCreation(OWNER, { first: 2, after });
        seen.push(...page.items.map((c) => c.id));
        if (!page.hasNextPage) break;
        after = page.endCursor!;
      }

      expect(seen).toEqual([older.id, ids[1], ids[0]]);
    });

    it('refuses a cursor of another list (INVALID_INPUT)', async () => {
      await createdChat(stores().repository);
      const chatCursor = (await stores().repository.listChats(OWNER, { first: 1 })).endCursor!;

      await expectDomainError(stores().archive.listChatsByCreation(OWNER, { first: 1, after: chatCursor }), 'INVALID_INPUT');
    });
  });

  describe('user limits', () => {
    it('keeps the overrides a user has, 0 (unlimited) included, and forgets them all on an empty set', async () => {
      const limits = stores().limits;
      expect(await limits.find(OWNER)).toEqual({});

      await limits.save(OWNER, { dailyTokens: 5_000, concurrentReplies: 0 }, at(1));
      await limits.save(STRANGER, { requestsPerMinute: 3 }, at(1));
      expect(await limits.find(OWNER)).toEqual({ dailyTokens: 5_000, concurrentReplies: 0 });

      await limits.save(OWNER, { monthlyBudgetMicros: 7 }, at(2));
      expect(await limits.find(OWNER)).toEqual({ monthlyBudgetMicros: 7 });

      await limits.save(OWNER, {}, at(3));
      expect(await limits.find(OWNER)).toEqual({});
      expect(await limits.find(STRANGER)).toEqual({ requestsPerMinute: 3 });
    });
  });
}
