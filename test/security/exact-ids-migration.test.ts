import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { migrationNames, migrationSource } from '../../migrations/index.js';
import { mysqlServerUrl, useStore } from '../support/stores.js';

const EXACT_IDS = '20261128010000_exact_ids';
const config = { migrationSource, tableName: 'knex_migrations' };

describe.skipIf(mysqlServerUrl() === null)('The exact-ids migration on an existing MySQL database', () => {
  const store = useStore('mysql', { migrate: false });

  it('keeps every row and foreign key, and makes ids compare byte for byte', async () => {
    const { knex } = store();
    // The database as it was before the migration, with rows in every table it changes.
    for (const name of migrationNames.slice(0, migrationNames.indexOf(EXACT_IDS))) await knex.migrate.up({ ...config, name });
    await knex('chats').insert(chatRow('c1', 'alice'));
    await knex('messages').insert(messageRow('m1', 'c1'));
    await knex('whatsapp_users').insert({ user_id: 'whatsapp:+15550001', current_chat_id: 'c1', persona_id: null, updated_at: 1 });
    await knex('whatsapp_inbound_messages').insert({ message_sid: 'SM1', user_id: 'whatsapp:+15550001', received_at: 1, chat_id: 'c1', reply_message_id: 'm1' });
    expect(await knex('chats').where('user_id', 'alice ').pluck('id')).toEqual(['c1']);

    await knex.migrate.latest(config);

    expect(await knex('chats').where('user_id', 'alice').pluck('id')).toEqual(['c1']);
    expect(await knex('chats').where('user_id', 'alice ').pluck('id')).toEqual([]);
    expect(await knex('messages').where('chat_id', 'c1').first()).toMatchObject({ id: 'm1', chat_id: 'c1', content: 'hello' });
    expect(await knex('whatsapp_inbound_messages').first()).toMatchObject({ message_sid: 'SM1', chat_id: 'c1', reply_message_id: 'm1' });
    expect(await columnTypes(knex)).toEqual(expect.objectContaining({ 'chats.id': 'varbinary', 'chats.user_id': 'varbinary', 'messages.chat_id': 'varbinary' }));

    // The foreign keys came back with their rules.
    await knex('chats').where('id', 'c1').delete();
    expect(await knex('messages').pluck('id')).toEqual([]);
    expect(await knex('whatsapp_users').pluck('current_chat_id')).toEqual([null]);
    await expect(knex('messages').insert(messageRow('m2', 'missing'))).rejects.toThrow(/foreign key/i);
  });

  it('goes back down to utf8mb4 text columns', async () => {
    const { knex } = store();
    await knex.migrate.latest(config);
    while ((await knex('knex_migrations').pluck('name')).includes(EXACT_IDS)) await knex.migrate.down(config);
    expect(await columnTypes(knex)).toEqual(expect.objectContaining({ 'chats.id': 'varchar', 'messages.chat_id': 'varchar' }));
    await knex.migrate.latest(config);
    expect(await columnTypes(knex)).toEqual(expect.objectContaining({ 'chats.id': 'varbinary' }));
  });
});

async function columnTypes(knex: Knex): Promise<Record<string, string>> {
  const [rows] = (await knex.raw(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
  )) as [{ t: string; c: string; type: string }[]];
  return Object.fromEntries(rows.map((row) => [`${row.t}.${row.c}`, row.type.toLowerCase()]));
}

function chatRow(id: string, userId: string) {
  return { id, user_id: userId, title: 't', status: 'ACTIVE', model: 'gpt-4o', persona_id: null, system_prompt: 's', config: '{}', created_at: 1, updated_at: 1, last_seq: 1 };
}

function messageRow(id: string, chatId: string) {
  return { id, chat_id: chatId, seq: 1, role: 'USER', content: 'hello', token_count: 1, status: 'COMPLETE', erased: false, model: 'gpt-4o', created_at: 1 };
}
