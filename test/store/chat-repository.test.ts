import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationNames, migrationSource } from '../../migrations/index.js';
import { KnexBudgets } from '../../src/infra/db/knex-budgets.js';
import { KnexChatArchive } from '../../src/infra/db/knex-chat-archive.js';
import { KnexUsageLedger } from '../../src/infra/db/knex-usage-ledger.js';
import { KnexUserLimits } from '../../src/infra/db/knex-user-limits.js';
import { migrateToLatest } from '../../src/infra/db/migrate.js';
import { systemClock } from '../../src/infra/system.js';
import { archiveAndLimitsContract } from '../support/contracts/archive-and-limits-contract.js';
import { chatRepositoryContract } from '../support/contracts/chat-repository-contract.js';
import { at, createdChat, turnOf } from '../support/contracts/store-fixtures.js';
import type { StoresUnderTest } from '../support/contracts/stores-under-test.js';
import { usageClaimsContract } from '../support/contracts/usage-claims-contract.js';
import { openStore, storeEngines, useStore, type TestStore } from '../support/stores.js';

/** Counts the SQL statements `knex` sends while `run` runs. */
async function queriesDuring<T>(knex: Knex, run: () => Promise<T>): Promise<{ result: T; queries: number }> {
  let queries = 0;
  const count = (): void => {
    queries += 1;
  };
  knex.on('query', count);
  try {
    return { result: await run(), queries };
  } finally {
    knex.removeListener('query', count);
  }
}

describe.each(storeEngines())('knex stores on %s', (engine) => {
  const store = useStore(engine);
  const stores = (): StoresUnderTest => {
    const { knex, repository } = store();
    return {
      repository,
      budgets: new KnexBudgets(knex, systemClock),
      ledger: new KnexUsageLedger(knex),
      archive: new KnexChatArchive(knex),
      limits: new KnexUserLimits(knex),
    };
  };

  // The same contracts the in-memory stores of the unit tests pass (test/unit/in-memory-stores.test.ts).
  chatRepositoryContract(stores);
  usageClaimsContract(stores);
  archiveAndLimitsContract(stores);

  describe('statements of KnexChatRepository', () => {
    it('reads the newest message of each chat in one query', async () => {
      const repo = store().repository;
      const one = await createdChat(repo);
      const two = await createdChat(repo);
      await repo.recordTurn(turnOf(one, 1, at(1)));
      await repo.recordTurn(turnOf(two, 1, at(2)));

      const { result, queries } = await queriesDuring(store().knex, () => repo.latestMessages([one.id, two.id, one.id, randomUUID()]));

      expect(queries).toBe(1);
      expect(result.size).toBe(2);
    });

    it('asks nothing of the database for no chat ids', async () => {
      const { result, queries } = await queriesDuring(store().knex, () => store().repository.latestMessages([]));

      expect(result.size).toBe(0);
      expect(queries).toBe(0);
    });
  });
});

describe.each(storeEngines())('store readiness on %s', (engine) => {
  let opened: TestStore | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('is ready once migrated', async () => {
    opened = await openStore(engine);

    await expect(opened.repository.checkReady()).resolves.toBeUndefined();
  });

  it('is not ready while migrations are pending', async () => {
    opened = await openStore(engine, { migrate: false });

    await expect(opened.repository.checkReady()).rejects.toThrow(/not applied/);
  });

  it('migrates down and up again', async () => {
    opened = await openStore(engine);

    await opened.knex.migrate.rollback({ migrationSource }, true);
    expect(await opened.knex.schema.hasTable('chats')).toBe(false);
    await expect(opened.repository.checkReady()).rejects.toThrow(/not applied/);
    expect(await migrateToLatest(opened.knex)).toEqual([...migrationNames]);
    await expect(opened.repository.checkReady()).resolves.toBeUndefined();
  });
});
