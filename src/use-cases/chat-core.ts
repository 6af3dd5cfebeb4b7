import type { Chat } from '../domain/chat.js';
import type { ChatConfigPatch } from '../domain/chat-config.js';
import type { ContextSummary } from '../domain/context-summary.js';
import type { Message } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import type { Persona } from '../domain/persona.js';
import type { NewChatRequest } from '../domain/start-chat.js';
import { costMicros, reportedCounts, type UsageRecord } from '../domain/usage.js';
import type { UsageSummary } from '../domain/usage-summary.js';
import type { LimitOverridesPatch } from '../domain/user-limits.js';
import { meteredRefusals } from './admit-turn.js';
import type { ChatEvent, ReplyEvent } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import { countTokens, type CountTokensInput } from './count-tokens.js';
import { createChat } from './create-chat.js';
import { deleteChat } from './delete-chat.js';
import { chatsToExport, chatToExport, type ChatExport } from './export-chats.js';
import { findChat, getChat } from './get-chat.js';
import { getLimits, getUsage, type LimitsStatus, type UsageRange } from './get-usage.js';
import { listChats, type ListChatsInput } from './list-chats.js';
import { listMessagesOf, type MessagePageInput } from './list-messages.js';
import type { Page } from './ports.js';
import { RecentSends } from './recent-sends.js';
import { searchMessages, type SearchHit, type SearchMessagesInput } from './search-messages.js';
import { sendMessage, type ReplyStream, type SendMessageInput } from './send-message.js';
import { setUserLimits } from './set-user-limits.js';
import { stopReply } from './stop-reply.js';
import { endChat, renameChat, updateChatConfig } from './update-chat.js';
import { watchChat } from './watch-chat.js';
import { activeReply, watchReply } from './watch-reply.js';

/**
 * The use cases, their ports bound: what channels (GraphQL, gRPC, HTTP,
 * WhatsApp) call. Each channel names the members it uses
 * (`Pick<ChatCore, ...>`); every call is scoped by the caller's user id,
 * except the batch reads of list views, which take chats the caller was
 * already checked to own.
 */
export interface ChatCore {
  // A turn and its reply
  createChat(request: NewChatRequest): Promise<Chat>;
  sendMessage(input: SendMessageInput): Promise<ReplyStream>;
  stopReply(userId: string, messageId: string): Promise<Message>;
  /** A reply's events from `after` (a cursor), replayed then live. */
  watchReply(userId: string, messageId: string, after?: string | null, signal?: AbortSignal): Promise<AsyncIterable<ReplyEvent>>;
  /** The running reply of a chat the caller was already checked to own, or null. */
  activeReply(chatId: string): Promise<Message | null>;

  // Chats
  findChat(userId: string, chatId: string): Promise<Chat | undefined>;
  getChat(userId: string, chatId: string): Promise<Chat>;
  listChats(input: ListChatsInput): Promise<Page<Chat>>;
  /** Messages of a chat the caller already holds from a scoped read, oldest first. */
  listMessagesOf(chat: Chat, input: MessagePageInput): Promise<Page<Message>>;
  renameChat(userId: string, chatId: string, title: string): Promise<Chat>;
  endChat(userId: string, chatId: string): Promise<Chat>;
  updateChatConfig(userId: string, chatId: string, patch: ChatConfigPatch): Promise<Chat>;
  deleteChat(userId: string, chatId: string): Promise<void>;
  watchChat(userId: string, chatId: string, signal?: AbortSignal): Promise<AsyncIterable<ChatEvent>>;
  /** The running summary of a chat the caller was already checked to own; undefined when it has none. */
  contextSummary(chatId: string): Promise<ContextSummary | undefined>;

  // Batch reads for list views, one query each (chats the caller owns)
  latestMessages(chatIds: readonly string[]): Promise<Map<string, Message>>;
  contextSummaries(chatIds: readonly string[]): Promise<Map<string, ContextSummary>>;
  activeReplies(chatIds: readonly string[]): Promise<Map<string, Message>>;
  /** The ledger rows of these replies. */
  replyUsage(messageIds: readonly string[]): Promise<Map<string, UsageRecord>>;

  // Catalogs and tools
  countTokens(input: CountTokensInput): number;
  listModels(): ModelSpec[];
  listPersonas(): Persona[];
  findPersona(id: string): Persona | undefined;

  // Usage and limits
  /** The user's tokens, cost and calls from the ledger (default: this month so far). */
  usage(userId: string, range?: UsageRange): Promise<UsageSummary>;
  /** The user's limits, and what is used and left of them now. */
  limits(userId: string): Promise<LimitsStatus>;
  /** For services only (channels check the caller): changes a user's overrides. */
  setUserLimits(userId: string, patch: LimitOverridesPatch): Promise<LimitsStatus>;
  /** What a summary's call cost at the prices in force, in micro-dollars. */
  summaryCostMicros(summary: ContextSummary): number;

  // Search and export
  searchMessages(input: SearchMessagesInput): Promise<Page<SearchHit>>;
  /** NOT_FOUND before anything is read beyond the chat. */
  exportChat(userId: string, chatId: string): Promise<ChatExport>;
  exportChats(userId: string): AsyncGenerator<ChatExport>;
}

export function createChatCore(deps: CoreDeps): ChatCore {
  const recentSends = new RecentSends(deps);
  return {
    createChat: (request) => createChat(deps, request),
    sendMessage: (input) => meteredRefusals(deps, recentSends.send(input, (checked) => sendMessage(deps, checked))),
    stopReply: (userId, messageId) => stopReply(deps, userId, messageId),
    watchReply: (userId, messageId, after, signal) => watchReply(deps, userId, messageId, after, signal),
    activeReply: (chatId) => activeReply(deps, chatId),

    findChat: (userId, chatId) => findChat(deps, userId, chatId),
    getChat: (userId, chatId) => getChat(deps, userId, chatId),
    listChats: (input) => listChats(deps, input),
    listMessagesOf: (chat, input) => listMessagesOf(deps, chat, input),
    renameChat: (userId, chatId, title) => renameChat(deps, userId, chatId, title),
    endChat: (userId, chatId) => endChat(deps, userId, chatId),
    updateChatConfig: (userId, chatId, patch) => updateChatConfig(deps, userId, chatId, patch),
    deleteChat: (userId, chatId) => deleteChat(deps, userId, chatId),
    watchChat: (userId, chatId, signal) => watchChat(deps, userId, chatId, signal),
    contextSummary: (chatId) => deps.chats.findContextSummary(chatId),

    latestMessages: (chatIds) => deps.chats.latestMessages(chatIds),
    contextSummaries: (chatIds) => deps.chats.latestContextSummaries(chatIds),
    activeReplies: (chatIds) => deps.chats.streamingReplies(chatIds),
    replyUsage: (messageIds) => deps.usage.ledger.replyRecords(messageIds),

    countTokens: (input) => countTokens(deps, input),
    listModels: () => deps.models.list(),
    listPersonas: () => deps.personas.list(),
    findPersona: (id) => deps.personas.get(id),

    usage: (userId, range) => getUsage(deps, userId, range),
    limits: (userId) => getLimits(deps, userId),
    setUserLimits: (userId, patch) => setUserLimits(deps, userId, patch),
    summaryCostMicros: (summary) => costMicros(reportedCounts(summary.usage), deps.usage.prices.priceOf(summary.model)?.price),

    searchMessages: (input) => searchMessages(deps, input),
    exportChat: (userId, chatId) => chatToExport(deps, userId, chatId),
    exportChats: (userId) => chatsToExport(deps, userId),
  };
}
