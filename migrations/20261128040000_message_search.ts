import type { Knex } from 'knex';

/**
 * Full-text search over messages (Query.search), indexed on both engines.
 *
 * What is searchable: user messages and replies that have ended. System
 * prompts are left out (every chat of a persona would match its words), and
 * so are replies still STREAMING, so the checkpoints a reply writes every
 * second cost the index nothing; the reply is indexed once, when it ends.
 *
 * SQLite: an FTS5 table with external content (the text is not stored
 * twice), read through a view that holds exactly the searchable rows, and
 * kept in sync by triggers on messages: insert, the update that ends a reply,
 * and delete (deleting a chat deletes its messages through ON DELETE CASCADE,
 * which fires the delete trigger). Erasing a message changes only its flag:
 * an erased message stays searchable, as it stays listable. The index keys on
 * messages.rowid: a later migration that rebuilds `messages` on SQLite (a
 * table copy) must recreate these triggers and run the 'rebuild' command.
 *
 * MySQL/MariaDB: a FULLTEXT index (InnoDB) on messages.content. The column
 * moves from utf8mb4_bin to utf8mb4_unicode_ci, since InnoDB full-text search
 * follows the column's collation and a binary one would make search case and
 * accent sensitive. The bytes stored are the same (utf8mb4, emoji included);
 * only comparisons change, and no query compares message content. Triggers
 * are not used there: MySQL 8 with binary logging refuses them to ordinary
 * users. Which rows are searchable is then the query's filter.
 */
const SEARCHABLE = (row: 'new' | 'old' | 'messages') => `${row}.role <> 'SYSTEM' AND ${row}.status <> 'STREAMING'`;

export async function up(knex: Knex): Promise<void> {
  if (knex.client.dialect === 'mysql') {
    await knex.raw(
      'ALTER TABLE messages MODIFY content MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL, ' +
        'ADD FULLTEXT INDEX messages_content_fulltext (content)',
    );
    return;
  }
  await knex.raw(`CREATE VIEW message_search_source AS SELECT rowid AS message_rowid, content FROM messages WHERE ${SEARCHABLE('messages')}`);
  // remove_diacritics 2: "cafe" finds "café", as utf8mb4_unicode_ci does on MySQL.
  await knex.raw(
    `CREATE VIRTUAL TABLE message_search USING fts5(content, content='message_search_source', content_rowid='message_rowid', ` +
      `tokenize='unicode61 remove_diacritics 2')`,
  );
  await knex.raw(`
    CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN ${SEARCHABLE('new')} BEGIN
      INSERT INTO message_search (rowid, content) VALUES (new.rowid, new.content);
    END`);
  // One trigger, two statements in order: the old entry must go before the new one is added.
  await knex.raw(`
    CREATE TRIGGER message_search_update AFTER UPDATE OF content, status, role ON messages BEGIN
      INSERT INTO message_search (message_search, rowid, content) SELECT 'delete', old.rowid, old.content WHERE ${SEARCHABLE('old')};
      INSERT INTO message_search (rowid, content) SELECT new.rowid, new.content WHERE ${SEARCHABLE('new')};
    END`);
  await knex.raw(`
    CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN ${SEARCHABLE('old')} BEGIN
      INSERT INTO message_search (message_search, rowid, content) VALUES ('delete', old.rowid, old.content);
    END`);
  // Messages stored before this migration.
  await knex.raw(`INSERT INTO message_search (message_search) VALUES ('rebuild')`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.dialect === 'mysql') {
    await knex.raw(
      'ALTER TABLE messages DROP INDEX messages_content_fulltext, ' +
        'MODIFY content MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL',
    );
    return;
  }
  for (const trigger of ['message_search_insert', 'message_search_update', 'message_search_delete']) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
  }
  await knex.raw('DROP TABLE IF EXISTS message_search');
  await knex.raw('DROP VIEW IF EXISTS message_search_source');
}
