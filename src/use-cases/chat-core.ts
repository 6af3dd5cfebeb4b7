import type { Chat } from '../domain/chat.js';
import type { ChatConfigPatch } from '../domain/chat-config.js';
import type { Persona } from '../domain/persona.js';
import type { ModelSpec } from '../domain/models.js';
import { countTokens, type CountTokensInput } from './count-tokens.js';
import type { CoreDeps } from './core-deps.js';
import { createChat } from './create-chat.js';
import { deleteChat } from './delete-chat.js';
import { chatsToExport, chatToExport } from './export-chats.js';
import { findChat, getChat } from './get-chat.js';
import { listChats, type ListChatsInput } from './list-chats.js';
import { listMessages, listMessagesOf, type ListMessagesInput, type MessagePageInput } from './list-messages.js';
import type { NewChatInput } from './new-chat.js';
import { RecentSends } from './recent-sends.js';
import type { ContextSummary } from '../domain/context-summary.js';
import { costMicros, reportedCounts } from '../domain/usage.js';
import type { LimitOverridesPatch } from '../domain/user-limits.js';
import { meteredRefusals } from './admit-turn.js';
import { getLimits, getUsage, type UsageRange } from './get-usage.js';
import { setUserLimits } from './set-user-limits.js';
import { searchMessages, type SearchMessagesInput } from './search-messages.js';
import { sendMessage, type SendMessageInput } from './send-message.js';
import { stopReply } from './stop-reply.js';
import { endChat, renameChat, updateChatConfig } from './update-chat.js';
import { watchChat } from './watch-chat.js';
import { activeReply, watchReply } from './watch-reply.js';

/**
 * The use cases with their dependencies bound: the one surface every channel
 * (GraphQL, gRPC, HTTP, WhatsApp) calls.
 */
export function createChatCore(deps: CoreDeps) {
  const recentSends = new RecentSends(deps);
  return {
    createChat: (input: NewChatInput) => createChat(deps, input),
    sendMessage: (input: SendMessageInput) => meteredRefusals(deps, recentSends.send(input, (checked) => sendMessage(deps, checked))),
    stopReply: (userId: string, messageId: string) => stopReply(deps, userId, messageId),
    watchReply: (userId: string, messageId: string, after?: string | null, signal?: AbortSignal) =>
      watchReply(deps, userId, messageId, after, signal),
    /** For a chat the caller was already checked to own. */
    activeReply: (chatId: string) => activeReply(deps, chatId),
    findChat: (userId: string, chatId: string) => findChat(deps, userId, chatId),
    getChat: (userId: string, chatId: string) => getChat(deps, userId, chatId),
    listChats: (input: ListChatsInput) => listChats(deps, input),
    listMessages: (input: ListMessagesInput) => listMessages(deps, input),
    listMessagesOf: (chat: Chat, input: MessagePageInput) => listMessagesOf(deps, chat, input),
    latestMessages: (chatIds: readonly string[]) => deps.chats.latestMessages(chatIds),
    renameChat: (userId: string, chatId: string, title: string) => renameChat(deps, userId, chatId, title),
    endChat: (userId: string, chatId: string) => endChat(deps, userId, chatId),
    updateChatConfig: (userId: string, chatId: string, patch: ChatConfigPatch) => updateChatConfig(deps, userId, chatId, patch),
    /** The running summary of a chat the caller was already checked to own; undefined when it has none. */
    contextSummary: (chatId: string) => deps.chats.findContextSummary(chatId),
    /** For chats the caller was already checked to own, in one query: list views. */
    contextSummaries: (chatIds: readonly string[]) => deps.chats.latestContextSummaries(chatIds),
    activeReplies: (chatIds: readonly string[]) => deps.chats.streamingReplies(chatIds),
    deleteChat: (userId: string, chatId: string) => deleteChat(deps, userId, chatId),
    watchChat: (userId: string, chatId: string, signal?: AbortSignal) => watchChat(deps, userId, chatId, signal),
    countTokens: (input: CountTokensInput) => countTokens(deps, input),
    listModels: (): ModelSpec[] => deps.models.list(),
    listPersonas: (): Persona[] => deps.personas.list(),
    findPersona: (id: string): Persona | undefined => deps.personas.get(id),
    /** The user's tokens, cost and calls from the ledger (default: this month so far). */
    usage: (userId: string, range?: UsageRange) => getUsage(deps, userId, range),
    /** The user's limits, and what is used and left of them now. */
    limits: (userId: string) => getLimits(deps, userId),
    /** For services only (channels check the caller): changes a user's overrides. */
    setUserLimits: (userId: string, patch: LimitOverridesPatch) => setUserLimits(deps, userId, patch),
    /** The ledger rows of these replies, in one query (the caller owns their chats). */
    replyUsage: (messageIds: readonly string[]) => deps.usage.ledger.replyRecords(messageIds),
    /** What a summary's call cost at the prices in force, in micro-dollars. */
    summaryCostMicros: (summary: ContextSummary): number =>
      costMicros(reportedCounts(summary.usage), deps.usage.prices.priceOf(summary.model)?.price),
    searchMessages: (input: SearchMessagesInput) => searchMessages(deps, input),
    /** NOT_FOUND before anything is read beyond the chat. */
    exportChat: (userId: string, chatId: string) => chatToExport(deps, userId, chatId),
    exportChats: (userId: string) => chatsToExport(deps, userId),
  };
}

export type ChatCore = ReturnType<typeof createChatCore>;
