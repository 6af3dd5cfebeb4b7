import type { Clock } from '../../../src/use-cases/ports.js';
import { InMemoryBudgets } from './in-memory-budgets.js';
import { InMemoryChatArchive } from './in-memory-chat-archive.js';
import { InMemoryChatRepository } from './in-memory-chat-repository.js';
import { InMemoryMessageSearch } from './in-memory-message-search.js';
import { InMemoryUsageLedger } from './in-memory-usage-ledger.js';
import { InMemoryUserLimits } from './in-memory-user-limits.js';
import { MemoryTables } from './memory-tables.js';

/** Every store port of the core over one in-memory database, as buildApp puts the knex ones over one knex. */
export interface InMemoryStores {
  /** The rows themselves, for tests that check what is stored beyond what the ports read. */
  readonly tables: MemoryTables;
  readonly chats: InMemoryChatRepository;
  readonly budgets: InMemoryBudgets;
  readonly ledger: InMemoryUsageLedger;
  readonly limits: InMemoryUserLimits;
  readonly search: InMemoryMessageSearch;
  readonly archive: InMemoryChatArchive;
}

/** A new, empty in-memory database. `clock` dates the budget rows Budgets.countersOf creates. */
export function createInMemoryStores(clock: Clock): InMemoryStores {
  const tables = new MemoryTables();
  return {
    tables,
    chats: new InMemoryChatRepository(tables),
    budgets: new InMemoryBudgets(tables, clock),
    ledger: new InMemoryUsageLedger(tables),
    limits: new InMemoryUserLimits(tables),
    search: new InMemoryMessageSearch(tables),
    archive: new InMemoryChatArchive(tables),
  };
}
