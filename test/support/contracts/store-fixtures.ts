import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Chat } from '../../../src/domain/chat.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { Message } from '../../../src/domain/message.js';
import type { ChatRepository, TurnRecord } from '../../../src/use-cases/ports.js';

/** Rows as the core writes them, built by hand: what the store contracts store and read back. */

export const OWNER = 'user-1';
export const STRANGER = 'user-2';

const T0 = Date.parse('2026-03-04T05:06:07.000Z');
/** A time `ms` milliseconds after T0: every test uses millisecond-distinct times. */
export const at = (ms: number): Date => new Date(T0 + ms);

export function newChat(overrides: Partial<Chat> = {}): Chat {
  return {
    id: randomUUID(),
    userId: OWNER,
    title: 'A chat',
    status: 'ACTIVE',
    model: 'gpt-4o-mini',
    personaId: null,
    systemPrompt: 'You are helpful.',
    config: { temperature: 0.7, topP: 1, maxTokens: 256, stop: ['\n\n'], presencePenalty: 0, frequencyPenalty: 0.5, contextStrategy: 'TRUNCATE' },
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function newMessage(chat: Chat, seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: randomUUID(),
    chatId: chat.id,
    seq,
    role: seq === 0 ? 'SYSTEM' : seq % 2 === 1 ? 'USER' : 'ASSISTANT',
    content: `message ${seq}`,
    tokenCount: 10 + seq,
    status: 'COMPLETE',
    erased: false,
    model: chat.model,
    finishReason: null,
    usage: null,
    errorCode: null,
    createdAt: at(seq),
    ...overrides,
  };
}

export const systemMessageOf = (chat: Chat): Message => newMessage(chat, 0, { content: chat.systemPrompt, createdAt: chat.createdAt });

/** The turn that adds user message `seq` and its STREAMING reply `seq + 1`. */
export function turnOf(chat: Chat, seq: number, time: Date, extra: Partial<TurnRecord> = {}): TurnRecord {
  return {
    chatId: chat.id,
    userMessage: newMessage(chat, seq, { role: 'USER', createdAt: time }),
    assistantMessage: newMessage(chat, seq + 1, {
      role: 'ASSISTANT',
      content: '',
      tokenCount: 0,
      status: 'STREAMING',
      createdAt: time,
    }),
    lease: { owner: 'this-process', expiresAt: new Date(time.getTime() + 15_000) },
    erasedMessageIds: [],
    at: time,
    ...extra,
  };
}

export async function createdChat(repository: ChatRepository, overrides: Partial<Chat> = {}): Promise<Chat> {
  const chat = newChat(overrides);
  await repository.createChat(chat, systemMessageOf(chat));
  return chat;
}

export async function allMessages(repository: ChatRepository, chatId: string): Promise<Message[]> {
  return [...(await repository.listMessages(chatId, { first: 1000, includeErased: true })).items];
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

export async function expectDomainError(promise: Promise<unknown>, code: DomainError['code']): Promise<DomainError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}
