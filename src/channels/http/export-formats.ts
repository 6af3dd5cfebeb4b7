import type { Chat } from '../../domain/chat.js';
import type { Message } from '../../domain/message.js';
import type { ChatExport } from '../../use-cases/export-chats.js';

/*
 * Exports as text, written piece by piece as the messages are read, so an
 * export of any size never sits whole in memory. JSON has one message per
 * line: valid JSON, and readable with a line-oriented tool.
 */

/** The JSON of one chat: `{ "chat": {...}, "messages": [...] }`. */
export async function* chatAsJson(exported: ChatExport): AsyncGenerator<string> {
  yield `{"chat":${JSON.stringify(chatJson(exported.chat))},\n"messages":[`;
  let separator = '\n';
  for await (const message of exported.messages) {
    yield `${separator}${JSON.stringify(messageJson(message))}`;
    separator = ',\n';
  }
  yield '\n]}';
}

/** Every chat: `{ "exportedAt", "userId", "chats": [ { "chat", "messages" }, ... ] }`. */
export async function* chatsAsJson(userId: string, exportedAt: Date, chats: AsyncIterable<ChatExport>): AsyncGenerator<string> {
  yield `{"exportedAt":${JSON.stringify(exportedAt.toISOString())},"userId":${JSON.stringify(userId)},\n"chats":[`;
  let separator = '\n';
  for await (const exported of chats) {
    yield separator;
    yield* chatAsJson(exported);
    separator = ',\n';
  }
  yield '\n]}\n';
}

/** One chat as a Markdown document: a heading, its settings, then each message under its role. */
export async function* chatAsMarkdown(exported: ChatExport): AsyncGenerator<string> {
  const { chat } = exported;
  yield `# ${oneLine(chat.title)}\n\n`;
  yield `- Chat: \`${chat.id}\`\n- Model: ${chat.model}\n- Status: ${chat.status}\n`;
  yield `- Created: ${chat.createdAt.toISOString()}\n- Last activity: ${chat.updatedAt.toISOString()}\n`;
  for await (const message of exported.messages) {
    yield `\n## ${ROLE_NAMES[message.role]} · ${message.createdAt.toISOString()}${remarksOf(message)}\n\n${message.content}\n`;
  }
}

const ROLE_NAMES: Record<Message['role'], string> = { SYSTEM: 'System', USER: 'User', ASSISTANT: 'Assistant' };

function remarksOf(message: Message): string {
  const remarks = [
    message.status === 'COMPLETE' ? undefined : message.status.toLowerCase(),
    message.erased ? 'erased: out of the context window' : undefined,
  ].filter((remark) => remark !== undefined);
  return remarks.length === 0 ? '' : ` (${remarks.join('; ')})`;
}

/** A title is one line already; this keeps a heading one line whatever a store holds. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function chatJson(chat: Chat) {
  return {
    id: chat.id,
    title: chat.title,
    status: chat.status,
    model: chat.model,
    personaId: chat.personaId,
    systemPrompt: chat.systemPrompt,
    config: chat.config,
    createdAt: chat.createdAt.toISOString(),
    updatedAt: chat.updatedAt.toISOString(),
  };
}

function messageJson(message: Message) {
  return {
    id: message.id,
    seq: message.seq,
    role: message.role,
    content: message.content,
    tokenCount: message.tokenCount,
    status: message.status,
    erased: message.erased,
    model: message.model,
    finishReason: message.finishReason,
    usage: message.usage,
    createdAt: message.createdAt.toISOString(),
  };
}
