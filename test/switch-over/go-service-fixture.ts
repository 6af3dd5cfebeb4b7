import type { Knex } from 'knex';

/*
 * The original Go service's database, as its sql/migrations/000001_init.up.sql
 * creates it and its repository fills it: the initial system message is stored
 * with an empty model and order 0; kept and erased messages are numbered
 * separately from 0 (order_msg), and only the oldest are ever erased.
 */

const GO_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS \`chats\` (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL,
    initial_message_id TEXT NOT NULL,
    status VARCHAR(6) NOT NULL,
    token_usage SMALLINT NOT NULL,
    model VARCHAR(20) NOT NULL,
    model_max_tokens SMALLINT NOT NULL,
    temperature DECIMAL(3,2) NOT NULL,
    top_p DECIMAL(3,2) NOT NULL,
    n SMALLINT NOT NULL,
    stop VARCHAR(20) NOT NULL,
    max_tokens SMALLINT NOT NULL,
    presence_penalty DECIMAL(3,2) NOT NULL,
    frequency_penalty DECIMAL(3,2) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS \`messages\` (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    chat_id VARCHAR(36) NOT NULL,
    role VARCHAR(10) NOT NULL,
    content TEXT NOT NULL,
    tokens SMALLINT NOT NULL,
    model VARCHAR(20) NOT NULL,
    erased BOOLEAN NOT NULL,
    order_msg SMALLINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE
  )`,
];

export const GO_CHAT_ID = '6f1c2a7e-1111-4c8e-9a53-0a1b2c3d4e5f';
export const GO_ENDED_CHAT_ID = '6f1c2a7e-2222-4c8e-9a53-0a1b2c3d4e5f';
export const GO_USER = 'go-user-1';
export const GO_SYSTEM_PROMPT = 'You are a helpful assistant';
export const EMOJI_TEXT = 'Emoji survive: 👩🏽‍💻🇵🇹 𝄞 🎉';

/** The history of the active chat, oldest first, as it must come out: [role, content, erased]. */
export const GO_HISTORY: readonly (readonly [string, string, boolean])[] = [
  ['SYSTEM', GO_SYSTEM_PROMPT, false],
  ['USER', 'My name is Ana.', true],
  ['ASSISTANT', 'Nice to meet you, Ana.', true],
  ['USER', `I like emoji: ${EMOJI_TEXT}`, false],
  ['ASSISTANT', `Me too! ${EMOJI_TEXT}`, false],
];

const at = (minute: number) => `2024-03-01 10:${String(minute).padStart(2, '0')}:00`;

/** Creates the Go schema (utf8mb4, as MySQL 8 defaults to) with two chats in it. */
export async function createGoServiceDatabase(knex: Knex): Promise<void> {
  const mysql = knex.client.dialect === 'mysql';
  for (const statement of GO_SCHEMA) await knex.raw(mysql ? `${statement} DEFAULT CHARSET=utf8mb4` : statement);
  const chat = (id: string, status: string, initialMessageId: string) => ({
    id,
    user_id: GO_USER,
    initial_message_id: initialMessageId,
    status,
    token_usage: 120,
    model: 'gpt-3.5-turbo',
    model_max_tokens: 4096,
    temperature: 0.1,
    top_p: 1,
    n: 1,
    stop: '["\\super-end\\"]',
    max_tokens: 300,
    presence_penalty: 0,
    frequency_penalty: 0,
    created_at: at(0),
    updated_at: at(9),
  });
  await knex('chats').insert([chat(GO_CHAT_ID, 'active', 'go-msg-system'), chat(GO_ENDED_CHAT_ID, 'ended', 'go-msg-ended-system')]);
  const message = (id: string, chatId: string, role: string, content: string, erased: boolean, order: number, minute: number) => ({
    id,
    chat_id: chatId,
    role,
    content,
    // Go counted the content only, so these are not our chat-format counts.
    tokens: 5,
    model: order === 0 && role === 'system' ? '' : 'gpt-3.5-turbo',
    erased,
    order_msg: order,
    created_at: at(minute),
  });
  // Inserted out of order on purpose: order comes from erased/order_msg, not from insertion.
  await knex('messages').insert([
    message('go-msg-4', GO_CHAT_ID, 'assistant', `Me too! ${EMOJI_TEXT}`, false, 2, 4),
    message('go-msg-system', GO_CHAT_ID, 'system', GO_SYSTEM_PROMPT, false, 0, 0),
    message('go-msg-2', GO_CHAT_ID, 'assistant', 'Nice to meet you, Ana.', true, 1, 2),
    message('go-msg-3', GO_CHAT_ID, 'user', `I like emoji: ${EMOJI_TEXT}`, false, 1, 3),
    message('go-msg-1', GO_CHAT_ID, 'user', 'My name is Ana.', true, 0, 1),
    message('go-msg-ended-system', GO_ENDED_CHAT_ID, 'system', GO_SYSTEM_PROMPT, false, 0, 5),
    message('go-msg-ended-1', GO_ENDED_CHAT_ID, 'user', 'Bye', false, 1, 6),
    message('go-msg-ended-2', GO_ENDED_CHAT_ID, 'assistant', 'Goodbye!', false, 2, 7),
  ]);
}

export async function rowCount(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row!.n);
}
