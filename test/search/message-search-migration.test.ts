import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { migrationNames, migrationSource } from '../../migrations/index.js';
import { KnexMessageSearch } from '../../src/infra/db/knex-message-search.js';
import { storeEngines, useStore } from '../support/stores.js';

const MESSAGE_SEARCH = '20261128040000_message_search';
const CHATS_BY_CREATION = '20261128040100_chats_by_creation';
const config = { migrationSource, tableName: 'knex_migrations' };

describe.each(storeEngines())('the message search migration on %s', (engine) => {
  const store = useStore(engine, { migrate: false });

  it('indexes the messages stored before it, and goes down without a trace', async () => {
    const { knex } = store();
    for (const name of migrationNames.slice(0, migrationNames.indexOf(MESSAGE_SEARCH))) await knex.migrate.up({ ...config, name });
    const before = await schemaObjects(knex);
    await knex('chats').insert(chatRow('c1', 'alice'));
    await knex('messages').insert([
      messageRow('m0', 'c1', 0, 'SYSTEM', 'You know a lot about otters.'),
      messageRow('m1', 'c1', 1, 'USER', 'Tell me about Otters 🦦'),
      messageRow('m2', 'c1', 2, 'ASSISTANT', 'Otters hold hands while sleeping.'),
    ]);

    await knex.migrate.up({ ...config, name: MESSAGE_SEARCH });
    await knex.migrate.up({ ...config, name: CHATS_BY_CREATION });
    const search = new KnexMessageSearch(knex);
    const found = await search.search('alice', ['otter'], { first: 10 });
    expect(found.items.map((hit) => hit.message.id)).toEqual(['m2', 'm1']);
    expect(found.items[1]!.message.content).toBe('Tell me about Otters 🦦');
    expect((await search.search('bob', ['otter'], { first: 10 })).items).toEqual([]);

    await knex.migrate.down(config);
    await knex.migrate.down(config);
    expect(await schemaObjects(knex)).toEqual(before);
    // The stored text is untouched, byte for byte.
    expect(await knex('messages').where('id', 'm1').first('content')).toEqual({ content: 'Tell me about Otters 🦦' });

    await knex.migrate.latest(config);
    expect((await search.search('alice', ['hands'], { first: 10 })).items.map((hit) => hit.message.id)).toEqual(['m2']);
  });
});

/** Tables, views, triggers and indexes, with how message text compares (MySQL): what a down() must restore. */
async function schemaObjects(knex: Knex): Promise<unknown> {
  if (knex.client.dialect !== 'mysql') {
    return knex('sqlite_master').select('type', 'name').whereNot('name', 'like', 'sqlite_%').orderBy(['type', 'name']);
  }
  const [indexes] = (await knex.raw(
    "SELECT TABLE_NAME AS t, INDEX_NAME AS i, INDEX_TYPE AS type FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('chats', 'messages') ORDER BY 1, 2",
  )) as [unknown[]];
  const [columns] = (await knex.raw(
    "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS type, COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'messages' ORDER BY 1",
  )) as [unknown[]];
  return { indexes, columns };
}

function chatRow(id: string, userId: string) {
  return { id, user_id: userId, title: 't', status: 'ACTIVE', model: 'gpt-4o', persona_id: null, system_prompt: 's', config: '{}', created_at: 1, updated_at: 1, last_seq: 2 };
}

function messageRow(id: string, chatId: string, seq: number, role: string, content: string) {
  return { id, chat_id: chatId, seq, role, content, token_count: 1, status: 'COMPLETE', erased: false, model: 'gpt-4o', created_at: 1 };
}
