import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../src/domain/chat.js';
import type { Message } from '../../src/domain/message.js';
import { KnexWhatsAppConversations } from '../../src/infra/db/knex-whatsapp-conversations.js';
import { newChat, newMessage } from '../support/contracts/store-fixtures.js';
import { newMessageSid } from '../support/fake-twilio.js';
import { storeEngines, useStore } from '../support/stores.js';

const USER = 'whatsapp:+15551234567';
const OTHER = 'whatsapp:+447700900123';
const T0 = new Date('2026-03-04T05:06:07.000Z');

function chatOf(userId: string): { chat: Chat; system: Message } {
  const chat = newChat({
    userId,
    config: { temperature: 1, topP: 1, maxTokens: 256, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' },
    createdAt: T0,
    updatedAt: T0,
  });
  return { chat, system: newMessage(chat, 0, { content: chat.systemPrompt, tokenCount: 7, createdAt: T0 }) };
}

describe.each(storeEngines())('KnexWhatsAppConversations on %s', (engine) => {
  const store = useStore(engine);
  const conversations = () => KnexWhatsAppConversations.create({ knex: store().knex });

  it('records a MessageSid once: the first time is new, every later time is a retry', async () => {
    const repo = await conversations();
    const messageSid = newMessageSid();
    expect(await repo.recordInbound({ messageSid, userId: USER, receivedAt: T0 })).toBe(true);
    expect(await repo.recordInbound({ messageSid, userId: USER, receivedAt: T0 })).toBe(false);
    expect(await repo.recordInbound({ messageSid: newMessageSid(), userId: USER, receivedAt: T0 })).toBe(true);
  });

  it('lets exactly one of many concurrent deliveries of a MessageSid through', async () => {
    const repo = await conversations();
    const messageSid = newMessageSid();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => repo.recordInbound({ messageSid, userId: USER, receivedAt: T0 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('records how the answer went', async () => {
    const repo = await conversations();
    const messageSid = newMessageSid();
    await repo.recordInbound({ messageSid, userId: USER, receivedAt: T0 });
    const chatId = randomUUID();
    const replyMessageId = randomUUID();
    await repo.recordAnswer(messageSid, { chatId, replyMessageId, delivery: 'failed', answeredAt: new Date(T0.getTime() + 1_500) });

    const rows = await store().knex('whatsapp_inbound_messages').select();
    expect(rows.map((r) => ({ ...r, received_at: Number(r.received_at), answered_at: Number(r.answered_at) }))).toEqual([
      {
        message_sid: messageSid,
        user_id: USER,
        received_at: T0.getTime(),
        chat_id: chatId,
        reply_message_id: replyMessageId,
        delivery_status: 'failed',
        answered_at: T0.getTime() + 1_500,
      },
    ]);
  });

  it('keeps each user state apart and overwrites it on save', async () => {
    const repo = await conversations();
    const { chat, system } = chatOf(USER);
    await store().repository.createChat(chat, system);
    expect(await repo.findUser(USER)).toBeUndefined();

    await repo.saveUser({ userId: USER, currentChatId: chat.id, personaId: null }, T0);
    await repo.saveUser({ userId: OTHER, currentChatId: null, personaId: 'tutor' }, T0);
    expect(await repo.findUser(USER)).toEqual({ userId: USER, currentChatId: chat.id, personaId: null });

    await repo.saveUser({ userId: USER, currentChatId: null, personaId: 'code-reviewer' }, new Date(T0.getTime() + 1));
    expect(await repo.findUser(USER)).toEqual({ userId: USER, currentChatId: null, personaId: 'code-reviewer' });
    expect(await repo.findUser(OTHER)).toEqual({ userId: OTHER, currentChatId: null, personaId: 'tutor' });
  });

  it('forgets the current chat when that chat is deleted', async () => {
    const repo = await conversations();
    const { chat, system } = chatOf(USER);
    await store().repository.createChat(chat, system);
    await repo.saveUser({ userId: USER, currentChatId: chat.id, personaId: 'tutor' }, T0);

    expect(await store().repository.deleteChat(USER, chat.id)).toBe(true);
    expect(await repo.findUser(USER)).toEqual({ userId: USER, currentChatId: null, personaId: 'tutor' });
  });
});
