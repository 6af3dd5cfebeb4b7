import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/infra/db/create-knex.js';
import { fixedChanges, fixedRows } from '../../src/infra/db/fixed-sql.js';
import { GroupCommit } from '../../src/infra/db/write-transactions.js';
import { statementsDuring } from '../support/statements.js';

/*
 * GroupCommit on a real SQLite file. What each unit sees must be what a
 * transaction of its own would give: its writes are stored all or none, its
 * promise settles only once they are committed (checked from a second
 * connection, as another process would read them), and another unit's
 * failure changes nothing of it.
 */
describe('GroupCommit on SQLite', () => {
  let dir: string;
  let file: string;
  let knex: Knex;
  let reader: Database.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatservice-group-commit-'));
    file = join(dir, 'store.db');
    knex = createKnex(file);
    await knex.raw('CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
    // A deferred foreign key is checked at COMMIT: a way to make a whole group fail to commit.
    await knex.raw('CREATE TABLE parents (id TEXT PRIMARY KEY)');
    await knex.raw('CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)');
    reader = new Database(file, { readonly: true });
  });

  afterEach(async () => {
    reader.close();
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const committedNotes = (): string[] =>
    (reader.prepare('SELECT id FROM notes ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  const insertNote = (id: string) => async (trx: Knex.Transaction) => {
    await trx('notes').insert({ id, body: `note ${id}` });
    return id;
  };
  const transactionsDuring = async (run: () => Promise<unknown>): Promise<number> =>
    (await statementsDuring(knex, run)).filter((sql) => /^begin/i.test(sql.trim())).length;

  it('commits the units submitted in one turn of the event loop in one transaction', async () => {
    const writes = new GroupCommit(knex);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    let results: string[] = [];
    const transactions = await transactionsDuring(async () => {
      results = await Promise.all(ids.map((id) => writes.transaction(insertNote(id))));
    });
    expect(results).toEqual(ids);
    expect(transactions).toBe(1);
    expect(committedNotes()).toEqual(ids);
  });

  it('settles each unit only once its writes are committed, even when a later unit of its group is slow', async () => {
    const writes = new GroupCommit(knex);
    const seenWhenSettled: string[][] = [];
    const quick = writes.transaction(insertNote('quick')).then(() => seenWhenSettled.push(committedNotes()));
    const slow = writes.transaction(async (trx) => {
      await trx('notes').insert({ id: 'slow', body: 'slow' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Still uncommitted: another connection sees nothing of this group yet.
      expect(committedNotes()).toEqual([]);
    });
    await Promise.all([quick, slow]);
    expect(seenWhenSettled).toEqual([['quick', 'slow']]);
  });

  it('rolls back only the unit that failed, which rejects with its own error', async () => {
    const writes = new GroupCommit(knex);
    const failure = new Error('refused after writing');
    const outcomes = await Promise.allSettled([
      writes.transaction(insertNote('kept-1')),
      writes.transaction(async (trx) => {
        await trx('notes').insert({ id: 'undone', body: 'undone' });
        throw failure;
      }),
      // A statement SQLite refuses (duplicate key) fails its unit only.
      writes.transaction(insertNote('kept-1')),
      writes.statement((db) => db('notes').insert({ id: 'kept-2', body: 'kept' })),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(failure);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: notes.id/);
    expect(committedNotes()).toEqual(['kept-1', 'kept-2']);
  });

  it('stores nothing of a group that cannot commit, and rejects each of its units', async () => {
    const writes = new GroupCommit(knex);
    const outcomes = await Promise.allSettled([
      writes.transaction(insertNote('lost')),
      // Valid until COMMIT, where the deferred foreign key fails the whole transaction.
      writes.transaction(async (trx) => {
        await trx('children').insert({ id: 'orphan', parent_id: 'missing' });
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    for (const outcome of outcomes) expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/);
    expect(committedNotes()).toEqual([]);
    // The connection is usable afterwards.
    await writes.transaction(insertNote('after'));
    expect(committedNotes()).toEqual(['after']);
  });

  it('splits a queue longer than its bound into several groups, all committed', async () => {
    const writes = new GroupCommit(knex, 2);
    const ids = ['1', '2', '3', '4', '5'];
    const transactions = await transactionsDuring(() => Promise.all(ids.map((id) => writes.transaction(insertNote(id)))));
    expect(transactions).toBe(3);
    expect(committedNotes()).toEqual(ids);
  });

  it('runs the units that arrive while a group commits in the next group', async () => {
    const writes = new GroupCommit(knex);
    let late: Promise<string> | undefined;
    const first = writes.transaction(async (trx) => {
      // Submitted while this group holds the connection.
      late = writes.transaction(insertNote('late'));
      return insertNote('first')(trx);
    });
    expect(await first).toBe('first');
    expect(await late).toBe('late');
    expect(committedNotes()).toEqual(['first', 'late']);
  });

  it("runs fixed statements on the group's own connection: inside its transaction, and watched like knex's own", async () => {
    const writes = new GroupCommit(knex);
    const insert = 'insert into `notes` (`id`, `body`) values (?, ?)';
    let outcomes: PromiseSettledResult<unknown>[] = [];
    const seen = await statementsDuring(knex, async () => {
      outcomes = await Promise.allSettled([
        writes.transaction((trx) => fixedChanges(trx, insert, ['direct', 'kept'])),
        writes.transaction(async (trx) => {
          expect(await fixedChanges(trx, insert, ['undone', 'written, then its unit failed'])).toBe(1);
          // The group's uncommitted row is visible to its own statements.
          expect(await fixedRows(trx, 'select `id` from `notes` where `id` = ?', ['undone'])).toEqual([{ id: 'undone' }]);
          throw new Error('refused');
        }),
      ]);
    });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect(committedNotes()).toEqual(['direct']);
    // Outside any transaction, on the pool's connection.
    expect(await fixedRows(knex, 'select `body` from `notes` where `id` = ?', ['direct'])).toEqual([{ body: 'kept' }]);
    expect(seen.filter((sql) => sql.startsWith('insert into `notes`'))).toHaveLength(3); // the first unit ran twice
  });
});
