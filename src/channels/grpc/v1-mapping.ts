import type { Chat } from '../../domain/chat.js';
import type { ChatConfigPatch, ContextStrategy } from '../../domain/chat-config.js';
import type { ContextSummary } from '../../domain/context-summary.js';
import { invalidInput } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { ReplyEvent } from '../../use-cases/chat-events.js';
import { encodeReplyCursor } from '../../domain/reply-cursor.js';
import { MAX_PAGE_SIZE } from '../../domain/paging.js';
import type { Page } from '../../use-cases/ports.js';
import type { SendMessageInput } from '../../use-cases/send-message.js';
import type { Caller } from '../auth/authenticator.js';
import type { Chat as ChatProto } from './generated/chatservice/v1/Chat.js';
import type { ChatConfigPatch__Output as ChatConfigPatchProto } from './generated/chatservice/v1/ChatConfigPatch.js';
import type { ContextSummary as ContextSummaryProto } from './generated/chatservice/v1/ContextSummary.js';
import type { Message as MessageProto } from './generated/chatservice/v1/Message.js';
import type { SendMessageRequest__Output as SendMessageRequestProto } from './generated/chatservice/v1/SendMessageRequest.js';
import type { SendMessageResponse as SendMessageResponseProto } from './generated/chatservice/v1/SendMessageResponse.js';
import type { Timestamp } from './generated/google/protobuf/Timestamp.js';

/** Domain objects to v1 messages and back; the only place that knows both shapes. */

export function sendMessageInput(request: SendMessageRequestProto, caller: Caller): SendMessageInput {
  if (request.chat_id !== undefined && request.chat_id.trim() === '') {
    throw invalidInput('chat_id must not be empty; leave it out to start a chat');
  }
  return {
    userId: caller.userId,
    chatId: request.chat_id,
    content: request.content,
    model: request.model,
    personaId: request.persona_id,
    systemPrompt: request.system_prompt,
    config: request.config ? configPatch(request.config) : undefined,
    channel: 'grpc',
  };
}

function configPatch(config: ChatConfigPatchProto): ChatConfigPatch {
  return {
    temperature: config.temperature,
    topP: config.top_p,
    maxTokens: config.max_tokens,
    stop: config.stop.length > 0 ? config.stop : undefined,
    presencePenalty: config.presence_penalty,
    frequencyPenalty: config.frequency_penalty,
    contextStrategy: contextStrategy(config.context_strategy),
  };
}

const CONTEXT_STRATEGY_VALUES: Readonly<Record<string, ContextStrategy | undefined>> = {
  CONTEXT_STRATEGY_UNSPECIFIED: undefined,
  CONTEXT_STRATEGY_TRUNCATE: 'TRUNCATE',
  CONTEXT_STRATEGY_SUMMARIZE: 'SUMMARIZE',
};

/** Unspecified (the proto3 default) leaves the strategy unchanged; a number this version does not know is refused. */
function contextStrategy(value: string | number | undefined): ContextStrategy | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(value in CONTEXT_STRATEGY_VALUES)) {
    throw invalidInput('config.context_strategy must be CONTEXT_STRATEGY_TRUNCATE or CONTEXT_STRATEGY_SUMMARIZE');
  }
  return CONTEXT_STRATEGY_VALUES[value];
}

export function replyEventToProto(event: ReplyEvent): SendMessageResponseProto {
  switch (event.type) {
    case 'started':
      return {
        started: {
          chat: chatToProto(event.chat),
          user_message: messageToProto(event.userMessage),
          assistant_message: messageToProto(event.assistantMessage),
        },
      };
    case 'delta':
      return { delta: { chat_id: event.chatId, message_id: event.messageId, text: event.text, cursor: encodeReplyCursor(event.offset) } };
    case 'completed':
      return { completed: { chat_id: event.chatId, message: messageToProto(event.message) } };
    case 'failed':
      return { failed: { chat_id: event.chatId, code: event.code, error: event.reason, message: messageToProto(event.message) } };
  }
}

/** `summary`: the chat's running summary, where the caller looked it up (GetChat). */
export function chatToProto(chat: Chat, summary?: ContextSummary): ChatProto {
  return {
    id: chat.id,
    user_id: chat.userId,
    title: chat.title,
    status: `CHAT_STATUS_${chat.status}`,
    model: chat.model,
    ...(chat.personaId !== null ? { persona_id: chat.personaId } : {}),
    system_prompt: chat.systemPrompt,
    config: {
      temperature: chat.config.temperature,
      top_p: chat.config.topP,
      max_tokens: chat.config.maxTokens,
      stop: [...chat.config.stop],
      presence_penalty: chat.config.presencePenalty,
      frequency_penalty: chat.config.frequencyPenalty,
      context_strategy: `CONTEXT_STRATEGY_${chat.config.contextStrategy}`,
    },
    create_time: timestamp(chat.createdAt),
    update_time: timestamp(chat.updatedAt),
    ...(summary !== undefined ? { context_summary: contextSummaryToProto(summary) } : {}),
  };
}

function contextSummaryToProto(summary: ContextSummary): ContextSummaryProto {
  return {
    content: summary.content,
    covers_through_seq: summary.coversThroughSeq,
    token_count: summary.tokenCount,
    model: summary.model,
    usage: { prompt_tokens: summary.usage.promptTokens, completion_tokens: summary.usage.completionTokens },
    create_time: timestamp(summary.createdAt),
  };
}

export function messageToProto(message: Message): MessageProto {
  return {
    id: message.id,
    chat_id: message.chatId,
    seq: message.seq,
    role: `MESSAGE_ROLE_${message.role}`,
    content: message.content,
    token_count: message.tokenCount,
    status: `MESSAGE_STATUS_${message.status}`,
    erased: message.erased,
    model: message.model,
    ...(message.finishReason !== null ? { finish_reason: message.finishReason } : {}),
    usage: message.usage && {
      prompt_tokens: message.usage.promptTokens,
      completion_tokens: message.usage.completionTokens,
    },
    create_time: timestamp(message.createdAt),
  };
}

function timestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/**
 * AIP-158 paging over the core's cursor pages: page_size 0 means the default,
 * larger than the maximum is lowered to it; next_page_token is empty on the
 * last page.
 */
export function pageRequest(pageSize: number, pageToken: string): { first: number | undefined; after: string | undefined } {
  if (!Number.isInteger(pageSize) || pageSize < 0) throw invalidInput('page_size must not be negative');
  return { first: pageSize === 0 ? undefined : Math.min(pageSize, MAX_PAGE_SIZE), after: pageToken === '' ? undefined : pageToken };
}

export const nextPageToken = (page: Page<unknown>): string => (page.hasNextPage ? (page.endCursor ?? '') : '');
