import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../src/domain/chat.js';
import type { ContextSummary } from '../../../src/domain/context-summary.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { Message } from '../../../src/domain/message.js';
import type { ChatRepository, TurnRecord } from '../../../src/use-cases/ports.js';
import {
  OWNER,
  STRANGER,
  allMessages,
  at,
  createdChat,
  expectDomainError,
  newChat,
  newMessage,
  systemMessageOf,
  turnOf,
} from './store-fixtures.js';
import type { StoresUnderTest } from './stores-under-test.js';

const EMOJI_TEXT = '👩🏽‍💻 héllo 𝄞 🎉';

/**
 * The ChatRepository contract: what every implementation answers, the knex
 * one on SQLite and MySQL (test/store/) and the in-memory one the unit tests
 * use (test/unit/). `stores` gives the stores of the current test, fresh or
 * emptied before each. Store-specific checks (SQL statements, migrations)
 * stay beside the implementation they are about.
 */
export function chatRepositoryContract(stores: () => StoresUnderTest): void {
  const repo = (): ChatRepository => stores().repository;

  describe('chats', () => {
    it('finds a created chat exactly as it was stored, to the millisecond', async () => {
      const chat = await createdChat(repo(), {
        personaId: 'tutor',
        createdAt: new Date('2026-01-02T03:04:05.678Z'),
        updatedAt: new Date('2026-01-02T03:04:05.679Z'),
      });

      expect(await repo().findChat(OWNER, chat.id)).toEqual(chat);
    });

    it('stores the system prompt as message 0 of a new chat', async () => {
      const chat = await createdChat(repo());

      const messages = await allMessages(repo(), chat.id);

      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ seq: 0, role: 'SYSTEM', content: chat.systemPrompt, erased: false });
    });

    it("reports another user's chat as not found", async () => {
      const chat = await createdChat(repo());

      expect(await repo().findChat(STRANGER, chat.id)).toBeUndefined();
      expect(await repo().findChat(OWNER, randomUUID())).toBeUndefined();
    });

    it('lists chats by latest activity, newest first, in pages', async () => {
      const chats: Chat[] = [];
      for (let i = 0; i < 5; i += 1) chats.push(await createdChat(repo(), { createdAt: at(i), updatedAt: at(i) }));
      // A new turn makes the oldest chat the most recently active one.
      await repo().recordTurn(turnOf(chats[0]!, 1, at(100)));

      const first = await repo().listChats(OWNER, { first: 2 });
      const second = await repo().listChats(OWNER, { first: 2, after: first.endCursor! });
      const third = await repo().listChats(OWNER, { first: 2, after: second.endCursor! });

      const ids = (page: { items: readonly Chat[] }) => page.items.map((c) => c.id);
      expect(ids(first)).toEqual([chats[0]!.id, chats[4]!.id]);
      expect(ids(second)).toEqual([chats[3]!.id, chats[2]!.id]);
      expect(ids(third)).toEqual([chats[1]!.id]);
      expect([first.hasNextPage, second.hasNextPage, third.hasNextPage]).toEqual([true, true, false]);
      expect(first.items[0]!.updatedAt).toEqual(at(100));
    });

    it('breaks ties of equal activity times by id, without skipping or repeating across pages', async () => {
      const ids = ['00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-00000000000c', '00000000-0000-0000-0000-00000000000b'];
      for (const id of ids) await createdChat(repo(), { id, updatedAt: at(7) });

      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await repo().listChats(OWNER, { first: 1, after });
        seen.push(...page.items.map((c) => c.id));
        if (!page.hasNextPage) break;
        after = page.endCursor!;
      }

      expect(seen).toEqual([...ids].sort().reverse());
    });

    it("never lists another user's chats", async () => {
      const mine = await createdChat(repo());
      await createdChat(repo(), { userId: STRANGER });

      const page = await repo().listChats(OWNER, { first: 10 });

      expect(page.items.map((c) => c.id)).toEqual([mine.id]);
      expect(page.hasNextPage).toBe(false);
    });

    it('returns an empty page with no cursor for a user without chats', async () => {
      expect(await repo().listChats('nobody', { first: 10 })).toEqual({ items: [], hasNextPage: false, endCursor: null, cursors: [] });
    });

    it('rejects a malformed cursor, or one made for another list, as INVALID_INPUT', async () => {
      const chat = await createdChat(repo());
      await repo().recordTurn(turnOf(chat, 1, at(1)));
      const messageCursor = (await repo().listMessages(chat.id, { first: 1, includeErased: false })).endCursor!;
      const chatCursor = (await repo().listChats(OWNER, { first: 1 })).endCursor!;

      await expectDomainError(repo().listChats(OWNER, { first: 1, after: 'not a cursor!' }), 'INVALID_INPUT');
      await expectDomainError(repo().listChats(OWNER, { first: 1, after: 'e30' }), 'INVALID_INPUT');
      await expectDomainError(repo().listChats(OWNER, { first: 1, after: messageCursor }), 'INVALID_INPUT');
      await expectDomainError(
        repo().listMessages(chat.id, { first: 1, after: chatCursor, includeErased: false }),
        'INVALID_INPUT',
      );
    });

    it('renames and ends a chat, returning the stored chat', async () => {
      const chat = await createdChat(repo());

      const renamed = await repo().updateChat(OWNER, chat.id, { title: 'Renamed', updatedAt: at(10) });
      const ended = await repo().updateChat(OWNER, chat.id, { status: 'ENDED', updatedAt: at(20) });

      expect(renamed).toEqual({ ...chat, title: 'Renamed', updatedAt: at(10) });
      expect(ended).toEqual({ ...chat, title: 'Renamed', status: 'ENDED', updatedAt: at(20) });
      expect(await repo().findChat(OWNER, chat.id)).toEqual(ended);
    });

    it('returns the chat when an update changes nothing', async () => {
      const chat = await createdChat(repo());

      expect(await repo().updateChat(OWNER, chat.id, { title: chat.title, updatedAt: chat.updatedAt })).toEqual(chat);
    });

    it("does not update another user's chat", async () => {
      const chat = await createdChat(repo());

      expect(await repo().updateChat(STRANGER, chat.id, { title: 'Hijacked', updatedAt: at(10) })).toBeUndefined();
      expect(await repo().findChat(OWNER, chat.id)).toEqual(chat);
    });

    it('deletes a chat with all its messages', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);

      expect(await repo().deleteChat(OWNER, chat.id)).toBe(true);

      expect(await repo().findChat(OWNER, chat.id)).toBeUndefined();
      expect(await repo().findMessage(turn.userMessage.id)).toBeUndefined();
      expect(await allMessages(repo(), chat.id)).toEqual([]);
      expect(await repo().deleteChat(OWNER, chat.id)).toBe(false);
    });

    it("does not delete another user's chat", async () => {
      const chat = await createdChat(repo());

      expect(await repo().deleteChat(STRANGER, chat.id)).toBe(false);
      expect(await repo().findChat(OWNER, chat.id)).toEqual(chat);
    });
  });

  describe('turns', () => {
    it('appends the user message and a STREAMING reply, and moves the chat’s activity time', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(50));

      await repo().recordTurn(turn);

      const messages = await allMessages(repo(), chat.id);
      expect(messages.map((m) => m.seq)).toEqual([0, 1, 2]);
      expect(messages.slice(1)).toEqual([turn.userMessage, turn.assistantMessage]);
      expect((await repo().findChat(OWNER, chat.id))?.updatedAt).toEqual(at(50));
    });

    it('creates the chat and its system message with the first turn', async () => {
      const chat = newChat();
      const systemMessage = systemMessageOf(chat);
      const turn = turnOf(chat, 1, at(5), { newChat: { chat, systemMessage } });

      await repo().recordTurn(turn);

      expect(await repo().findChat(OWNER, chat.id)).toEqual({ ...chat, updatedAt: at(5) });
      expect(await allMessages(repo(), chat.id)).toEqual([systemMessage, turn.userMessage, turn.assistantMessage]);
    });

    it('appends history: earlier messages keep their ids and rows', async () => {
      const chat = await createdChat(repo());
      const firstTurn = turnOf(chat, 1, at(1));
      await repo().recordTurn(firstTurn);
      const before = await allMessages(repo(), chat.id);

      await repo().recordTurn(turnOf(chat, 3, at(2)));

      expect((await allMessages(repo(), chat.id)).slice(0, 3)).toEqual(before);
    });

    it('fails with CHAT_BUSY and stores nothing when the position in the chat is taken', async () => {
      const chat = await createdChat(repo());
      const old = turnOf(chat, 1, at(1));
      await repo().recordTurn(old);
      const late = turnOf(chat, 3, at(2));
      await repo().recordTurn(late);
      // A writer that computed its positions before `late` landed: seq 3 is taken.
      const stale = turnOf(chat, 3, at(3), { erasedMessageIds: [old.userMessage.id] });

      await expectDomainError(repo().recordTurn(stale), 'CHAT_BUSY');

      expect(await repo().findMessage(stale.userMessage.id)).toBeUndefined();
      expect(await repo().findMessage(stale.assistantMessage.id)).toBeUndefined();
      expect((await repo().findMessage(old.userMessage.id))?.erased).toBe(false);
      expect((await repo().findChat(OWNER, chat.id))?.updatedAt).toEqual(at(2));
    });

    it('leaves no chat behind when the first turn of a new chat fails', async () => {
      const chat = newChat();
      const systemMessage = systemMessageOf(chat);
      // The user message claims seq 0, which the system message holds.
      const broken = turnOf(chat, 0, at(5), { newChat: { chat, systemMessage } });

      await expectDomainError(repo().recordTurn(broken), 'CHAT_BUSY');

      expect(await repo().findChat(OWNER, chat.id)).toBeUndefined();
      expect(await repo().findMessage(systemMessage.id)).toBeUndefined();
    });

    it('lets exactly one of two concurrent turns for the same position through', async () => {
      const chat = await createdChat(repo());
      const a = turnOf(chat, 1, at(1));
      const b = turnOf(chat, 1, at(2));

      const results = await Promise.allSettled([repo().recordTurn(a), repo().recordTurn(b)]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [failure] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failure?.reason).toBeInstanceOf(DomainError);
      expect((failure?.reason as DomainError).code).toBe('CHAT_BUSY');
      expect((await allMessages(repo(), chat.id)).map((m) => m.seq)).toEqual([0, 1, 2]);
    });

    it('fails with NOT_FOUND when the chat no longer exists', async () => {
      const chat = await createdChat(repo());
      await repo().deleteChat(OWNER, chat.id);

      await expectDomainError(repo().recordTurn(turnOf(chat, 1, at(1))), 'NOT_FOUND');
    });

    it('marks the messages that left the context window erased, in that chat only', async () => {
      const chat = await createdChat(repo());
      const other = await createdChat(repo());
      const first = turnOf(chat, 1, at(1));
      const elsewhere = turnOf(other, 1, at(1));
      await repo().recordTurn(first);
      await repo().recordTurn(elsewhere);

      await repo().recordTurn(
        turnOf(chat, 3, at(2), {
          erasedMessageIds: [first.userMessage.id, first.assistantMessage.id, elsewhere.userMessage.id],
        }),
      );

      expect((await allMessages(repo(), chat.id)).map((m) => [m.seq, m.erased])).toEqual([
        [0, false],
        [1, true],
        [2, true],
        [3, false],
        [4, false],
      ]);
      expect((await repo().findMessage(elsewhere.userMessage.id))?.erased).toBe(false);
    });
  });

  describe('messages', () => {
    async function chatWithErasedHistory(): Promise<{ chat: Chat; turns: TurnRecord[] }> {
      const chat = await createdChat(repo());
      const turns = [turnOf(chat, 1, at(1)), turnOf(chat, 3, at(2))];
      turns.push(turnOf(chat, 5, at(3), { erasedMessageIds: [turns[0]!.userMessage.id, turns[0]!.assistantMessage.id] }));
      for (const turn of turns) await repo().recordTurn(turn);
      return { chat, turns };
    }

    it('loads the context: every message not erased, oldest first, system message included', async () => {
      const { chat } = await chatWithErasedHistory();

      expect((await repo().loadContext(chat.id)).map((m) => m.seq)).toEqual([0, 3, 4, 5, 6]);
    });

    it('lists messages oldest first, hiding erased ones unless asked', async () => {
      const { chat } = await chatWithErasedHistory();

      const visible = await repo().listMessages(chat.id, { first: 50, includeErased: false });
      const all = await repo().listMessages(chat.id, { first: 50, includeErased: true });

      expect(visible.items.map((m) => m.seq)).toEqual([0, 3, 4, 5, 6]);
      expect(all.items.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(all.items.filter((m) => m.erased).map((m) => m.seq)).toEqual([1, 2]);
    });

    it('pages through messages with cursors', async () => {
      const { chat } = await chatWithErasedHistory();

      const first = await repo().listMessages(chat.id, { first: 3, includeErased: true });
      const second = await repo().listMessages(chat.id, { first: 3, after: first.endCursor!, includeErased: true });
      const third = await repo().listMessages(chat.id, { first: 3, after: second.endCursor!, includeErased: true });
      const visibleAfterFirst = await repo().listMessages(chat.id, {
        first: 10,
        after: first.endCursor!,
        includeErased: false,
      });

      expect(first.items.map((m) => m.seq)).toEqual([0, 1, 2]);
      expect(second.items.map((m) => m.seq)).toEqual([3, 4, 5]);
      expect(third.items.map((m) => m.seq)).toEqual([6]);
      expect([first.hasNextPage, second.hasNextPage, third.hasNextPage]).toEqual([true, true, false]);
      expect(visibleAfterFirst.items.map((m) => m.seq)).toEqual([3, 4, 5, 6]);
    });

    it('returns the newest message of each chat, for any ids, repeated or unknown', async () => {
      const one = await createdChat(repo());
      const two = await createdChat(repo());
      const quiet = await createdChat(repo());
      const oneTurn = turnOf(one, 1, at(1));
      await repo().recordTurn(oneTurn);
      await repo().recordTurn(turnOf(two, 1, at(2)));
      const twoLast = turnOf(two, 3, at(3));
      await repo().recordTurn(twoLast);

      const result = await repo().latestMessages([one.id, two.id, quiet.id, one.id, randomUUID()]);

      expect(new Map([...result].map(([chatId, m]) => [chatId, m.id]))).toEqual(
        new Map([
          [one.id, oneTurn.assistantMessage.id],
          [two.id, twoLast.assistantMessage.id],
          [quiet.id, (await allMessages(repo(), quiet.id))[0]!.id],
        ]),
      );
      expect((await repo().latestMessages([])).size).toBe(0);
    });

    it('finds a message by its position in its chat', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);

      expect(await repo().findMessageAt(chat.id, 2)).toEqual(turn.assistantMessage);
      expect(await repo().findMessageAt(chat.id, 3)).toBeUndefined();
      expect(await repo().findMessageAt(randomUUID(), 0)).toBeUndefined();
    });
  });

  describe('replies', () => {
    it('finishes a STREAMING reply and returns the stored message', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);

      const finished = await repo().finishReply(turn.assistantMessage, {
        content: 'Hello there',
        status: 'COMPLETE',
        tokenCount: 6,
        finishReason: 'stop',
        usage: { promptTokens: 42, completionTokens: 2 },
        errorCode: null,
      });

      const expected: Message = {
        ...turn.assistantMessage,
        content: 'Hello there',
        status: 'COMPLETE',
        tokenCount: 6,
        finishReason: 'stop',
        usage: { promptTokens: 42, completionTokens: 2 },
      };
      expect(finished).toEqual(expected);
      expect(await repo().findMessage(turn.assistantMessage.id)).toEqual(expected);
    });

    it('keeps the first ending of a reply that already ended', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);
      await repo().finishReply(turn.assistantMessage, {
        content: 'Partial',
        status: 'INCOMPLETE',
        tokenCount: 4,
        finishReason: 'stopped',
        usage: null,
        errorCode: null,
      });

      const again = await repo().finishReply(turn.assistantMessage, {
        content: 'Partial and more',
        status: 'COMPLETE',
        tokenCount: 7,
        finishReason: 'stop',
        usage: null,
        errorCode: null,
      });

      expect(again).toMatchObject({ content: 'Partial', status: 'INCOMPLETE', finishReason: 'stopped', usage: null });
    });

    it('fails with NOT_FOUND for an unknown reply', async () => {
      await expectDomainError(
        repo().finishReply(newMessage(newChat(), 2, { status: 'STREAMING' }), { content: '', status: 'FAILED', tokenCount: 0, finishReason: 'error', usage: null, errorCode: 'UPSTREAM_UNAVAILABLE' }),
        'NOT_FOUND',
      );
    });

    it('finds only replies whose lease expired, and recovers them keeping their checkpointed text', async () => {
      const one = await createdChat(repo());
      const two = await createdChat(repo());
      const expired = turnOf(one, 1, at(1), { lease: { owner: 'gone', expiresAt: at(5) } });
      const live = turnOf(two, 1, at(1), { lease: { owner: 'alive', expiresAt: at(60_000) } });
      await repo().recordTurn(expired);
      await repo().recordTurn(live);
      expect(await repo().checkpointReply(expired.assistantMessage.id, 'Half a rep', { owner: 'gone', expiresAt: at(10) })).toBe(true);

      const found = await repo().findExpiredReplies(at(20), 100);
      expect(found.map((m) => m.id)).toEqual([expired.assistantMessage.id]);
      expect(found[0]!.content).toBe('Half a rep');

      const recovered = await repo().recoverReply(
        found[0]!,
        { content: 'Half a rep', status: 'INCOMPLETE', tokenCount: 7, finishReason: 'interrupted', usage: null, errorCode: null },
        at(20),
      );
      expect(recovered).toMatchObject({ content: 'Half a rep', status: 'INCOMPLETE', finishReason: 'interrupted', tokenCount: 7 });
      expect(await repo().findExpiredReplies(at(20), 100)).toEqual([]);
      expect((await repo().findStreamingReply(two.id))?.lease).toEqual({ owner: 'alive', expiresAt: at(60_000) });
    });

    it('does not recover a reply whose lease was renewed after it was found', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1), { lease: { owner: 'slow', expiresAt: at(5) } });
      await repo().recordTurn(turn);
      const [found] = await repo().findExpiredReplies(at(20), 100);
      expect(await repo().checkpointReply(turn.assistantMessage.id, 'still here', { owner: 'slow', expiresAt: at(60_000) })).toBe(true);

      const outcome = { content: '', status: 'FAILED', tokenCount: 0, finishReason: 'interrupted', usage: null, errorCode: 'UNAVAILABLE' } as const;
      expect(await repo().recoverReply(found!, outcome, at(20))).toBeUndefined();
      expect(await repo().findMessage(turn.assistantMessage.id)).toMatchObject({ status: 'STREAMING', content: 'still here' });
    });

    it('tells a producer whose reply was recovered that it lost it', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1), { lease: { owner: 'frozen', expiresAt: at(5) } });
      await repo().recordTurn(turn);
      const [found] = await repo().findExpiredReplies(at(20), 100);
      await repo().recoverReply(found!, { content: '', status: 'FAILED', tokenCount: 0, finishReason: 'interrupted', usage: null, errorCode: 'UNAVAILABLE' }, at(20));

      expect(await repo().checkpointReply(turn.assistantMessage.id, 'late text', { owner: 'frozen', expiresAt: at(60_000) })).toBe(false);
      const ending = await repo().finishReply(turn.assistantMessage, {
        content: 'late text', status: 'COMPLETE', tokenCount: 5, finishReason: 'stop', usage: null, errorCode: null,
      });
      expect(ending).toMatchObject({ status: 'FAILED', content: '', errorCode: 'UNAVAILABLE' });
    });

    it('refuses a turn planned before another writer moved the chat on (CHAT_BUSY), on any process', async () => {
      const chat = await createdChat(repo());
      await repo().recordTurn(turnOf(chat, 1, at(1), { expectedLastSeq: 0 }));
      await expectDomainError(repo().recordTurn(turnOf(chat, 3, at(2), { expectedLastSeq: 0 })), 'CHAT_BUSY');
      await expectDomainError(repo().recordTurn(turnOf(newChat(), 1, at(2), { expectedLastSeq: 0 })), 'NOT_FOUND');
      expect((await repo().listMessages(chat.id, { first: 10, includeErased: true })).items.map((m) => m.seq)).toEqual([0, 1, 2]);
    });
  });

  describe('text', () => {
    const bytes = (text: string | undefined): string => Buffer.from(text ?? '', 'utf8').toString('hex');

    it('round-trips 4-byte UTF-8 byte-exact in titles, prompts, user ids and messages', async () => {
      const chat = await createdChat(repo(), { title: EMOJI_TEXT, systemPrompt: `Be ${EMOJI_TEXT}`, userId: `whatsapp:+1 ${EMOJI_TEXT}` });
      const turn = turnOf(chat, 1, at(1), {
        userMessage: newMessage(chat, 1, { role: 'USER', content: EMOJI_TEXT, createdAt: at(1) }),
      });
      await repo().recordTurn(turn);
      await repo().finishReply(turn.assistantMessage, {
        content: `${EMOJI_TEXT}!`,
        status: 'COMPLETE',
        tokenCount: 9,
        finishReason: 'stop',
        usage: null,
        errorCode: null,
      });

      const stored = await repo().findChat(chat.userId, chat.id);
      const messages = await repo().loadContext(chat.id);

      expect(bytes(stored?.title)).toBe(bytes(EMOJI_TEXT));
      expect(bytes(stored?.systemPrompt)).toBe(bytes(`Be ${EMOJI_TEXT}`));
      expect(messages.map((m) => bytes(m.content))).toEqual([`Be ${EMOJI_TEXT}`, EMOJI_TEXT, `${EMOJI_TEXT}!`].map(bytes));
      expect((await repo().listChats(chat.userId, { first: 5 })).items.map((c) => c.id)).toEqual([chat.id]);
    });

    it('tells apart user ids that differ only in case or accents', async () => {
      const chat = await createdChat(repo(), { userId: 'Alice' });

      expect(await repo().findChat('alice', chat.id)).toBeUndefined();
      expect(await repo().findChat('Alicé', chat.id)).toBeUndefined();
      expect((await repo().listChats('ALICE', { first: 5 })).items).toEqual([]);
    });

    it('stores a long message whole', async () => {
      const chat = await createdChat(repo());
      const long = `${'🎉 lorem ipsum '.repeat(10_000)}end`;
      const turn = turnOf(chat, 1, at(1), {
        userMessage: newMessage(chat, 1, { role: 'USER', content: long, createdAt: at(1) }),
      });

      await repo().recordTurn(turn);

      expect((await repo().findMessage(turn.userMessage.id))?.content).toBe(long);
    });
  });


  describe('heads and streaming replies', () => {
    it('reads a chat with the position of its newest message, for its owner only', async () => {
      const chat = await createdChat(repo());
      expect(await repo().findChatHead(OWNER, chat.id)).toEqual({ chat, lastSeq: 0 });

      await repo().recordTurn(turnOf(chat, 1, at(1), { expectedLastSeq: 0 }));

      expect(await repo().findChatHead(OWNER, chat.id)).toEqual({ chat: { ...chat, updatedAt: at(1) }, lastSeq: 2 });
      expect(await repo().findChatHead(STRANGER, chat.id)).toBeUndefined();
    });

    it('finds the reply streaming in a chat with its lease, until it ends', async () => {
      const chat = await createdChat(repo());
      const quiet = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1), { lease: { owner: 'me', expiresAt: at(9_000) } });
      await repo().recordTurn(turn);

      expect(await repo().findStreamingReply(chat.id)).toEqual({ message: turn.assistantMessage, lease: { owner: 'me', expiresAt: at(9_000) } });
      expect(await repo().findStreamingReply(quiet.id)).toBeUndefined();
      expect([...(await repo().streamingReplies([chat.id, quiet.id]))]).toEqual([[chat.id, turn.assistantMessage]]);

      await repo().finishReply(turn.assistantMessage, { content: 'Done', status: 'COMPLETE', tokenCount: 4, finishReason: 'stop', usage: null, errorCode: null });

      expect(await repo().findStreamingReply(chat.id)).toBeUndefined();
      expect((await repo().streamingReplies([chat.id])).size).toBe(0);
    });

    it('checkpoints the text and lease of a STREAMING reply, leaving the text when given none', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);

      expect(await repo().checkpointReply(turn.assistantMessage.id, 'Half', { owner: 'this-process', expiresAt: at(20_000) })).toBe(true);
      expect(await repo().checkpointReply(turn.assistantMessage.id, undefined, { owner: 'this-process', expiresAt: at(30_000) })).toBe(true);

      expect(await repo().findStreamingReply(chat.id)).toEqual({
        message: { ...turn.assistantMessage, content: 'Half' },
        lease: { owner: 'this-process', expiresAt: at(30_000) },
      });
    });

    it('tells a producer its reply is no longer STREAMING: ended, or never there', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);
      await repo().finishReply(turn.assistantMessage, { content: 'Stopped', status: 'INCOMPLETE', tokenCount: 4, finishReason: 'stopped', usage: null, errorCode: null });

      expect(await repo().checkpointReply(turn.assistantMessage.id, 'more', { owner: 'this-process', expiresAt: at(60_000) })).toBe(false);
      expect(await repo().checkpointReply(randomUUID(), 'text', { owner: 'this-process', expiresAt: at(60_000) })).toBe(false);
      expect((await repo().findMessage(turn.assistantMessage.id))?.content).toBe('Stopped');
    });

    it('loses a reply whose chat was deleted: no more checkpoints, and its ending is NOT_FOUND', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);
      await repo().deleteChat(OWNER, chat.id);

      expect(await repo().checkpointReply(turn.assistantMessage.id, 'late', { owner: 'this-process', expiresAt: at(60_000) })).toBe(false);
      await expectDomainError(
        repo().finishReply(turn.assistantMessage, { content: 'late', status: 'COMPLETE', tokenCount: 3, finishReason: 'stop', usage: null, errorCode: null }),
        'NOT_FOUND',
      );
    });

    it('keeps what a database keeps of an ending: a finish reason of 64 characters, the two usage counts', async () => {
      const chat = await createdChat(repo());
      const turn = turnOf(chat, 1, at(1));
      await repo().recordTurn(turn);
      const reason = 'r'.repeat(100);

      const finished = await repo().finishReply(turn.assistantMessage, {
        content: 'Odd',
        status: 'INCOMPLETE',
        tokenCount: 3,
        finishReason: reason,
        usage: { promptTokens: 12, completionTokens: 1, cachedPromptTokens: 4, reasoningTokens: 0 },
        errorCode: null,
      });

      expect(finished.finishReason).toBe('r'.repeat(64));
      const stored = await repo().findMessage(turn.assistantMessage.id);
      expect(stored?.finishReason).toBe('r'.repeat(64));
      expect(stored?.usage).toEqual({ promptTokens: 12, completionTokens: 1 });
    });
  });

  describe('summaries', () => {
    function summaryOf(chat: Chat, coversThroughSeq: number, time: Date): ContextSummary {
      return {
        id: randomUUID(),
        chatId: chat.id,
        coversThroughSeq,
        content: `summary through ${coversThroughSeq}`,
        tokenCount: 9,
        model: chat.model,
        usage: { promptTokens: 30, completionTokens: 8 },
        createdAt: time,
      };
    }

    /** Two turns, then a third that erases the first and stores a summary of it. */
    async function summarizedChat(): Promise<{ chat: Chat; turns: TurnRecord[]; summary: ContextSummary }> {
      const chat = await createdChat(repo());
      const turns = [turnOf(chat, 1, at(1)), turnOf(chat, 3, at(2))];
      const summary = summaryOf(chat, 2, at(3));
      turns.push(turnOf(chat, 5, at(3), { erasedMessageIds: [turns[0]!.userMessage.id, turns[0]!.assistantMessage.id], summary }));
      for (const turn of turns) await repo().recordTurn(turn);
      return { chat, turns, summary };
    }

    it('stores a summary with its turn and finds the one that covers the most', async () => {
      const { chat, summary } = await summarizedChat();
      const newer = summaryOf(chat, 4, at(4));
      await repo().recordTurn(turnOf(chat, 7, at(4), { summary: newer }));

      expect(await repo().findContextSummary(chat.id)).toEqual(newer);
      expect(newer.coversThroughSeq).toBeGreaterThan(summary.coversThroughSeq);
    });

    it('finds the newest summary of each chat that has one, in one call', async () => {
      const { chat, summary } = await summarizedChat();
      const plain = await createdChat(repo());

      const found = await repo().latestContextSummaries([chat.id, plain.id, chat.id]);

      expect([...found]).toEqual([[chat.id, summary]]);
      expect((await repo().latestContextSummaries([])).size).toBe(0);
    });

    it('lists erased messages after a position, oldest first, at most `limit`', async () => {
      const { chat, turns } = await summarizedChat();

      expect((await repo().listErasedMessages(chat.id, 0, 10)).map((m) => m.id)).toEqual([turns[0]!.userMessage.id, turns[0]!.assistantMessage.id]);
      expect((await repo().listErasedMessages(chat.id, 0, 1)).map((m) => m.seq)).toEqual([1]);
      expect(await repo().listErasedMessages(chat.id, 2, 10)).toEqual([]);
    });

    it('refuses a second summary covering the same messages (CHAT_BUSY), storing nothing of its turn', async () => {
      const { chat, summary } = await summarizedChat();
      const again = turnOf(chat, 7, at(5), { summary: { ...summaryOf(chat, summary.coversThroughSeq, at(5)) } });

      await expectDomainError(repo().recordTurn(again), 'CHAT_BUSY');

      expect(await repo().findMessage(again.userMessage.id)).toBeUndefined();
      expect(await repo().findContextSummary(chat.id)).toEqual(summary);
    });

    it('deletes the summaries with their chat', async () => {
      const { chat } = await summarizedChat();

      await repo().deleteChat(OWNER, chat.id);

      expect(await repo().findContextSummary(chat.id)).toBeUndefined();
    });
  });

  describe('paging', () => {
    it('refuses a page size that is not a non-negative integer (INVALID_INPUT)', async () => {
      const chat = await createdChat(repo());

      await expectDomainError(repo().listChats(OWNER, { first: -1 }), 'INVALID_INPUT');
      await expectDomainError(repo().listMessages(chat.id, { first: 1.5, includeErased: false }), 'INVALID_INPUT');
    });

    it('answers an empty page that knows more follow for a page size of 0', async () => {
      const chat = await createdChat(repo());

      expect(await repo().listMessages(chat.id, { first: 0, includeErased: true })).toEqual({ items: [], hasNextPage: true, endCursor: null, cursors: [] });
    });
  });
}
