import type { Metadata} from '@grpc/grpc-js';
import { type ServiceError } from '@grpc/grpc-js';
import type { Clock } from '../../src/use-cases/ports.js';
import type { SendMessageResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/SendMessageResponse.js';
import { executeRaw, type RawResult } from '../graphql/graphql-clients.js';
import { auth, collect, v1Client } from '../grpc/support/grpc-clients.js';
import type { TestApp } from '../support/test-app.js';

/** Helpers shared by the usage tests: sends over each channel, and the usage tables as stored. */

export const SEND_MESSAGE = `mutation ($input: SendMessageInput!) {
  sendMessage(input: $input) {
    chat { id }
    reply { id status content usage { promptTokens completionTokens cachedPromptTokens reasoningTokens estimated costUsd } }
    error { code }
  }
}`;

export interface GraphQLSend {
  readonly status: number;
  readonly reply?: { id: string; status: string; content: string; usage: Record<string, unknown> | null };
  readonly chatId?: string;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
}

/** Sends one message over GraphQL (POST, waits for the whole reply) as `userId`. */
export async function sendOverGraphQL(app: TestApp, userId: string, content: string, chatId?: string): Promise<GraphQLSend> {
  const result: RawResult = await executeRaw(app, SEND_MESSAGE, { input: { content, ...(chatId ? { chatId } : {}) } }, { userId });
  const payload = (result.data as { sendMessage?: { chat: { id: string }; reply: GraphQLSend['reply'] } } | null)?.sendMessage;
  const error = result.errors?.[0] as { extensions?: { code?: string; retryAfterSeconds?: number } } | undefined;
  return {
    status: result.status,
    reply: payload?.reply,
    chatId: payload?.chat.id,
    code: error?.extensions?.code,
    retryAfterSeconds: error?.extensions?.retryAfterSeconds,
  };
}

export interface GrpcSend {
  readonly messages: SendMessageResponse__Output[];
  readonly error: ServiceError | undefined;
  /** The stable code of a failed call (trailer chatservice-error-code). */
  readonly code: string | undefined;
  readonly retryAfter: string | undefined;
}

/** Sends one message over gRPC v1 SendMessage as `userId` and reads the stream to its end. */
export async function sendOverGrpc(app: TestApp, userId: string, content: string): Promise<GrpcSend> {
  const client = v1Client(app.grpcPort);
  try {
    const { messages, error } = await collect(client.SendMessage({ user_id: userId, content }, auth()));
    const trailer = (key: string) => (error?.metadata as Metadata | undefined)?.get(key)[0]?.toString();
    return { messages, error, code: trailer('chatservice-error-code'), retryAfter: trailer('retry-after') };
  } finally {
    client.close();
  }
}

/** A clock the test moves; starts at `start`. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: string) {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = Date.parse(iso);
  }
}

export interface LedgerRowView {
  message_id: string;
  kind: string;
  user_id: string;
  chat_id: string;
  channel: string;
  model: string;
  prompt_tokens: number;
  cached_prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number | null;
  estimated: boolean;
  cost_micros: number;
  price_version: string;
}

/** The user's ledger rows, oldest first, with numbers and booleans normalised across engines. */
export async function ledgerRows(app: TestApp, userId: string): Promise<LedgerRowView[]> {
  const rows: Record<string, unknown>[] = await app.store.knex('usage_ledger').where('user_id', userId).orderBy('created_at');
  return rows.map((row) => ({
    ...(row as unknown as LedgerRowView),
    prompt_tokens: Number(row.prompt_tokens),
    cached_prompt_tokens: Number(row.cached_prompt_tokens),
    completion_tokens: Number(row.completion_tokens),
    reasoning_tokens: row.reasoning_tokens === null ? null : Number(row.reasoning_tokens),
    estimated: Boolean(row.estimated),
    cost_micros: Number(row.cost_micros),
  }));
}

/** The user's budget row, numbers normalised; undefined before their first message. */
export async function budgetRow(app: TestApp, userId: string) {
  const row = await app.store.knex('usage_budgets').where('user_id', userId).first();
  if (row === undefined) return undefined;
  return {
    dayKey: row.day_key as string,
    daySpentTokens: Number(row.day_spent_tokens),
    dayReservedTokens: Number(row.day_reserved_tokens),
    monthKey: row.month_key as string,
    monthSpentMicros: Number(row.month_spent_micros),
    monthReservedMicros: Number(row.month_reserved_micros),
    runningReplies: Number(row.running_replies),
  };
}

export async function countRows(app: TestApp, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const [row] = await app.store.knex(table).where(where).count({ n: '*' });
  return Number(row!.n);
}

/** Messages stored for the user's chats (system prompts included). */
export async function messagesOf(app: TestApp, userId: string): Promise<number> {
  const [row] = await app.store.knex('messages').join('chats', 'chats.id', 'messages.chat_id').where('chats.user_id', userId).count({ n: '*' });
  return Number(row!.n);
}
