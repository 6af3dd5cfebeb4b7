import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/infra/db/create-knex.js';

/*
 * knex leaves a SQLite transaction open when its COMMIT fails; the store's
 * connection must not stay inside it. A deferred foreign key makes COMMIT
 * fail on demand (a full disk or an I/O error would do the same).
 */
describe('a SQLite transaction whose COMMIT fails', () => {
  let dir: string;
  let knex: Knex;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatservice-failed-commit-'));
    knex = createKnex(join(dir, 'store.db'));
    await knex.raw('CREATE TABLE notes (id TEXT PRIMARY KEY)');
    await knex.raw('CREATE TABLE parents (id TEXT PRIMARY KEY)');
    await knex.raw('CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)');
  });

  afterEach(async () => {
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores nothing of it, and leaves the store usable for the next transaction and the next statement', async () => {
    await expect(
      knex.transaction(async (trx) => {
        await trx('notes').insert({ id: 'lost' });
        await trx('children').insert({ id: 'orphan', parent_id: 'missing' });
      }),
    ).rejects.toThrow(/FOREIGN KEY constraint failed/);

    await knex.transaction(async (trx) => {
      await trx('notes').insert({ id: 'next transaction' });
    });
    await knex('notes').insert({ id: 'next statement' });

    // Read from another connection, as another process would: only what was committed.
    const reader = new Database(join(dir, 'store.db'), { readonly: true });
    try {
      expect(reader.prepare('SELECT id FROM notes ORDER BY id').all()).toEqual([{ id: 'next statement' }, { id: 'next transaction' }]);
    } finally {
      reader.close();
    }
  });
});
