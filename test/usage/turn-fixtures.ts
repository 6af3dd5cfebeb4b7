import type { Chat } from '../../src/domain/chat.js';
import type { Message } from '../../src/domain/message.js';
import type { TurnClaim, UsageSettlement } from '../../src/domain/usage-claim.js';
import { estimatedCounts } from '../../src/domain/usage.js';
import { UNLIMITED, type LimitSettings } from '../../src/domain/user-limits.js';
import type { ReplyOutcome, TurnRecord } from '../../src/use-cases/ports.js';
import { newChat, newMessage } from '../support/contracts/store-fixtures.js';

/** Turns with claims, written straight to a store: what send-message stores, without the rest of a turn. */

export const USER = 'ivy';
export const DAY = '2026-11-28';
export const MONTH = '2026-11';
export const NOW = new Date(`${DAY}T10:00:00Z`);

function chatOf(userId: string): Chat {
  return newChat({
    userId,
    config: { temperature: 1, topP: 1, maxTokens: 256, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' },
    createdAt: NOW,
    updatedAt: NOW,
  });
}

const messageOf = (chat: Chat, seq: number, overrides: Partial<Message> = {}): Message =>
  newMessage(chat, seq, { tokenCount: 10, createdAt: NOW, ...overrides });

/** As admission builds claims: the worst case is held only when a token or money budget applies. */
const heldAmounts = ({ tokens, micros = 0, limits = {} }: Hold) =>
  limits.dailyTokens === undefined && limits.monthlyBudgetMicros === undefined ? { tokens: 0, micros: 0 } : { tokens, micros };

export interface Hold {
  readonly tokens: number;
  readonly micros?: number;
  readonly slot?: boolean;
  readonly day?: string;
  readonly month?: string;
  readonly limits?: Partial<LimitSettings>;
}

/** A first turn in a new chat, with a claim holding `hold`; its reply's lease expired long ago when `expired`. */
export function turnWithClaim(hold: Hold, expired = false, userId = USER): { turn: TurnRecord; claim: TurnClaim; reply: Message } {
  const chat = chatOf(userId);
  const reply = messageOf(chat, 2, { content: '', tokenCount: 0, status: 'STREAMING' });
  const claim: TurnClaim = {
    messageId: reply.id,
    userId,
    chatId: chat.id,
    channel: 'graphql',
    model: 'gpt-4o-mini',
    promptTokens: 25,
    hold: { day: hold.day ?? DAY, month: hold.month ?? MONTH, ...heldAmounts(hold), holdsReplySlot: hold.slot ?? false },
    limits: { ...UNLIMITED, ...hold.limits },
    at: NOW,
  };
  const turn: TurnRecord = {
    newChat: { chat, systemMessage: messageOf(chat, 0) },
    chatId: chat.id,
    userMessage: messageOf(chat, 1),
    assistantMessage: reply,
    lease: { owner: 'test', expiresAt: new Date(NOW.getTime() + (expired ? -60_000 : 15_000)) },
    erasedMessageIds: [],
    claim,
    at: NOW,
  };
  return { turn, claim, reply };
}

export function endingOf(claim: TurnClaim, completionTokens: number, costMicros: number): ReplyOutcome & { settlement: UsageSettlement } {
  return {
    content: 'done',
    status: 'COMPLETE',
    tokenCount: 5,
    finishReason: 'stop',
    usage: { promptTokens: claim.promptTokens, completionTokens },
    errorCode: null,
    settlement: {
      hold: claim.hold,
      record: {
        messageId: claim.messageId,
        kind: 'reply',
        userId: claim.userId,
        chatId: claim.chatId,
        channel: claim.channel,
        model: claim.model,
        counts: estimatedCounts(claim.promptTokens, completionTokens),
        estimated: false,
        costMicros,
        priceVersion: 'test',
        at: NOW,
      },
    },
  };
}
