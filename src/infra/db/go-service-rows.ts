import { randomUUID } from 'node:crypto';
import { titleFromFirstMessage } from '../../domain/chat.js';
import { MAX_STOP_SEQUENCES, type ChatConfig } from '../../domain/chat-config.js';
import type { MessageRole } from '../../domain/message.js';
import type { ModelSpec } from '../../domain/models.js';
import { messageTokens } from '../../domain/token-rules.js';
import type { TokenCounter } from '../../use-cases/ports.js';
import { parseStopList } from '../../stop-list.js';

/** A row of the Go service's `chats`, as the drivers return it (DECIMAL may be a string, TIMESTAMP a Date or a string). */
export interface GoChatRow {
  readonly id: string;
  readonly user_id: string;
  readonly initial_message_id: string;
  readonly status: string;
  readonly model: string;
  readonly temperature: number | string;
  readonly top_p: number | string;
  readonly stop: string | null;
  readonly max_tokens: number | string;
  readonly presence_penalty: number | string;
  readonly frequency_penalty: number | string;
  readonly created_at: Date | string | number;
  readonly updated_at: Date | string | number;
}

export interface GoMessageRow {
  readonly id: string;
  readonly chat_id: string;
  readonly role: string;
  readonly content: string;
  readonly tokens: number | string;
  readonly model: string | null;
  readonly erased: number | boolean | string;
  readonly order_msg: number | string;
  readonly created_at: Date | string | number;
}

/** The columns this adoption writes; later migrations' columns keep their defaults. */
export interface AdoptedChat {
  readonly id: string;
  readonly user_id: string;
  readonly title: string;
  readonly status: 'ACTIVE' | 'ENDED';
  readonly model: string;
  readonly persona_id: null;
  readonly system_prompt: string;
  readonly config: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly last_seq: number;
}

export interface AdoptedMessage {
  readonly id: string;
  readonly chat_id: string;
  readonly seq: number;
  readonly role: MessageRole;
  readonly content: string;
  readonly token_count: number;
  readonly status: 'COMPLETE';
  readonly erased: boolean;
  readonly model: string;
  readonly finish_reason: null;
  readonly created_at: number;
}

export interface AdoptionContext {
  readonly tokens: TokenCounter;
  readonly modelSpec: (name: string) => ModelSpec;
  /** For a chat whose system message is gone. */
  readonly systemPrompt: string;
}

export interface AdoptedConversation {
  readonly chat: AdoptedChat;
  readonly messages: readonly AdoptedMessage[];
  /** Messages whose stored Go count differs from the exact chat-format count (Go counted content only). */
  readonly recounted: number;
  readonly notes: readonly string[];
}

const ROLES: Record<string, MessageRole> = { system: 'SYSTEM', user: 'USER', assistant: 'ASSISTANT' };

/**
 * One Go chat and its messages as ours. Order: Go numbered kept and erased
 * messages separately (order_msg restarts at 0 for each), and it only ever
 * erased the oldest, so erased messages come first. The initial system
 * message becomes seq 0 and is always kept, as our context rule wants.
 */
export function adoptConversation(chat: GoChatRow, goMessages: readonly GoMessageRow[], ctx: AdoptionContext): AdoptedConversation {
  const notes: string[] = [];
  const model = ctx.modelSpec(chat.model);
  const count = (role: MessageRole, content: string) => messageTokens({ role, content }, (text) => ctx.tokens.count(text, model.encoding));
  const ordered = [...goMessages].sort(goOrder);
  const systemIndex = findSystemIndex(ordered, chat.initial_message_id);
  const system = systemIndex === -1 ? undefined : ordered.splice(systemIndex, 1)[0]!;
  if (!system) notes.push('no system message: the configured system prompt was used');
  const systemPrompt = system?.content ?? ctx.systemPrompt;
  const createdAt = epochMs(chat.created_at);

  let recounted = 0;
  const messages: AdoptedMessage[] = [];
  const add = (row: GoMessageRow | undefined, role: MessageRole, content: string, erased: boolean, at: number) => {
    const tokenCount = count(role, content);
    if (row && Number(row.tokens) !== tokenCount) recounted += 1;
    messages.push({
      id: row?.id ?? randomUUID(),
      chat_id: chat.id,
      seq: messages.length,
      role,
      content,
      token_count: tokenCount,
      status: 'COMPLETE',
      erased,
      // Go wrote the chat's model on every message but its first (left empty).
      model: chat.model,
      finish_reason: null,
      created_at: at,
    });
  };
  add(system, 'SYSTEM', systemPrompt, false, system ? epochMs(system.created_at) : createdAt);
  for (const row of ordered) {
    const role = ROLES[row.role.toLowerCase()];
    if (!role) {
      notes.push(`message ${row.id}: unknown role ${JSON.stringify(row.role)}, skipped`);
      continue;
    }
    add(row, role, row.content, isTrue(row.erased), epochMs(row.created_at));
  }

  const firstUser = messages.find((m) => m.role === 'USER');
  const lastActivity = Math.max(epochMs(chat.updated_at), ...messages.map((m) => m.created_at));
  return {
    chat: {
      id: chat.id,
      user_id: chat.user_id,
      title: firstUser ? titleFromFirstMessage(firstUser.content) || 'Imported chat' : 'Imported chat',
      status: chat.status.toLowerCase() === 'ended' ? 'ENDED' : 'ACTIVE',
      model: chat.model,
      persona_id: null,
      system_prompt: systemPrompt,
      config: JSON.stringify(adoptedConfig(chat, model)),
      created_at: createdAt,
      updated_at: lastActivity,
      last_seq: messages.length - 1,
    },
    messages,
    recounted,
    notes,
  };
}

/**
 * The Go chat's sampling settings, each checked against the range the API
 * accepts; a value out of range takes the API's default instead of failing
 * every later turn of that chat.
 */
// No contextStrategy: the Go service had none, so adopted chats read as the deployment's default.
function adoptedConfig(chat: GoChatRow, model: ModelSpec): Omit<ChatConfig, 'contextStrategy'> {
  const inRange = (value: number | string, min: number, max: number, fallback: number) => {
    const n = Number(value);
    return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
  };
  const budgetLimit = Math.min(model.maxOutputTokens, model.contextWindow - 1);
  const maxTokens = Number(chat.max_tokens);
  return {
    temperature: inRange(chat.temperature, 0, 2, 1),
    topP: inRange(chat.top_p, 0, 1, 1),
    maxTokens: Number.isInteger(maxTokens) && maxTokens >= 1 ? Math.min(maxTokens, budgetLimit) : Math.min(1024, budgetLimit),
    // Go kept only the first stop sequence, spelled as its STOP setting was: read it the way we read STOP.
    stop: parseStopList(chat.stop ?? '').slice(0, MAX_STOP_SEQUENCES),
    presencePenalty: inRange(chat.presence_penalty, -2, 2, 0),
    frequencyPenalty: inRange(chat.frequency_penalty, -2, 2, 0),
  };
}

function findSystemIndex(messages: readonly GoMessageRow[], initialMessageId: string): number {
  const byId = messages.findIndex((m) => m.id === initialMessageId);
  return byId !== -1 ? byId : messages.findIndex((m) => m.role.toLowerCase() === 'system');
}

function goOrder(a: GoMessageRow, b: GoMessageRow): number {
  return (
    Number(isTrue(b.erased)) - Number(isTrue(a.erased)) ||
    Number(a.order_msg) - Number(b.order_msg) ||
    epochMs(a.created_at) - epochMs(b.created_at) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

const isTrue = (value: number | boolean | string) => value === true || Number(value) === 1;

/** Go wrote UTC times; a zone-less 'YYYY-MM-DD hh:mm:ss' string is read as UTC too. */
export function epochMs(value: Date | string | number): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const iso = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}
