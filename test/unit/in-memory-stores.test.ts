import { beforeEach, describe } from 'vitest';
import { systemClock } from '../../src/infra/system.js';
import { archiveAndLimitsContract } from '../support/contracts/archive-and-limits-contract.js';
import { chatRepositoryContract } from '../support/contracts/chat-repository-contract.js';
import type { StoresUnderTest } from '../support/contracts/stores-under-test.js';
import { usageClaimsContract } from '../support/contracts/usage-claims-contract.js';
import { createInMemoryStores } from '../support/in-memory/in-memory-stores.js';

// The contracts the knex stores pass on SQLite and MySQL (test/store/chat-repository.test.ts):
// what the unit tests learn from the in-memory stores holds for the real ones.
describe('in-memory stores', () => {
  let current: StoresUnderTest;
  beforeEach(() => {
    const stores = createInMemoryStores(systemClock);
    current = { repository: stores.chats, budgets: stores.budgets, ledger: stores.ledger, archive: stores.archive, limits: stores.limits };
  });
  const stores = () => current;

  chatRepositoryContract(stores);
  usageClaimsContract(stores);
  archiveAndLimitsContract(stores);
});
