import type { ModelObject } from 'objection';
import { CHAT_STATUSES, type Chat } from '../../domain/chat.js';
import { storedChatConfig, type ChatConfig } from '../../domain/chat-config.js';
import { ERROR_CODES, type ErrorCode } from '../../domain/errors.js';
import { MESSAGE_ROLES, MESSAGE_STATUSES, type Message } from '../../domain/message.js';
import type { ReplyLease } from '../../domain/reply-lease.js';
import type { ChatRow } from './chat-row.js';
import type { MessageRow } from './message-row.js';

export type ChatRecord = ModelObject<ChatRow>;
export type MessageRecord = ModelObject<MessageRow>;

/** Upstream servers may send any finish reason; the column holds this much of it. */
const FINISH_REASON_LENGTH = 64;

export function chatToRecord(chat: Chat, lastSeq: number): ChatRecord {
  return {
    id: chat.id,
    user_id: chat.userId,
    title: chat.title,
    status: chat.status,
    model: chat.model,
    persona_id: chat.personaId,
    system_prompt: chat.systemPrompt,
    config: JSON.stringify(chat.config),
    created_at: chat.createdAt.getTime(),
    updated_at: chat.updatedAt.getTime(),
    last_seq: lastSeq,
  };
}

/** What a chat stored before a config key existed reads as. */
export type ConfigDefaults = Pick<ChatConfig, 'contextStrategy'>;

export function chatFromRecord(row: ChatRecord, defaults: ConfigDefaults): Chat {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    status: oneOf(CHAT_STATUSES, row.status, 'chats.status'),
    model: row.model,
    personaId: row.persona_id,
    systemPrompt: row.system_prompt,
    config: storedChatConfig(JSON.parse(row.config) as Partial<ChatConfig>, defaults),
    createdAt: dateOf(row.created_at),
    updatedAt: dateOf(row.updated_at),
  };
}

export function messageToRecord(message: Message, lease: ReplyLease | null = null): MessageRecord {
  return {
    id: message.id,
    chat_id: message.chatId,
    seq: message.seq,
    role: message.role,
    content: message.content,
    token_count: message.tokenCount,
    status: message.status,
    erased: message.erased,
    model: message.model,
    finish_reason: finishReasonColumn(message.finishReason),
    usage_prompt_tokens: message.usage?.promptTokens ?? null,
    usage_completion_tokens: message.usage?.completionTokens ?? null,
    lease_owner: lease?.owner ?? null,
    lease_expires_at: lease?.expiresAt.getTime() ?? null,
    error_code: message.errorCode,
    created_at: message.createdAt.getTime(),
  };
}

export function messageFromRecord(row: MessageRecord): Message {
  const promptTokens = row.usage_prompt_tokens;
  const completionTokens = row.usage_completion_tokens;
  return {
    id: row.id,
    chatId: row.chat_id,
    seq: Number(row.seq),
    role: oneOf(MESSAGE_ROLES, row.role, 'messages.role'),
    content: row.content,
    tokenCount: Number(row.token_count),
    status: oneOf(MESSAGE_STATUSES, row.status, 'messages.status'),
    erased: Boolean(row.erased),
    model: row.model,
    finishReason: row.finish_reason,
    usage:
      promptTokens === null || completionTokens === null
        ? null
        : { promptTokens: Number(promptTokens), completionTokens: Number(completionTokens) },
    errorCode: errorCodeOf(row.error_code),
    createdAt: dateOf(row.created_at),
  };
}

export function leaseFromRecord(row: MessageRecord): ReplyLease | null {
  if (row.lease_owner === null || row.lease_expires_at === null) return null;
  return { owner: row.lease_owner, expiresAt: dateOf(row.lease_expires_at) };
}

// A code this version does not know (written by a newer one) still reads as a failure.
const errorCodeOf = (value: string | null): ErrorCode | null =>
  value === null ? null : (ERROR_CODES as readonly string[]).includes(value) ? (value as ErrorCode) : 'INTERNAL';

export function finishReasonColumn(reason: string | null): string | null {
  return reason === null ? null : reason.slice(0, FINISH_REASON_LENGTH);
}

// BIGINT may come back as a string from mysql2; epoch milliseconds always fit a double.
const dateOf = (epochMs: number | string): Date => new Date(Number(epochMs));

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`Unexpected value in ${column}: ${JSON.stringify(value)}`);
}
