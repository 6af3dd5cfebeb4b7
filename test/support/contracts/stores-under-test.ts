import type { Budgets, ChatArchive, ChatRepository, UsageLedger, UserLimitsStore } from '../../../src/use-cases/ports.js';

/**
 * The store ports of one database, as a contract test gets them: fresh (or
 * emptied) before each test, all over the same rows, so that what one port
 * writes (a turn's claim) is what the others read (budgets, ledger).
 */
export interface StoresUnderTest {
  readonly repository: ChatRepository;
  readonly budgets: Budgets;
  readonly ledger: UsageLedger;
  readonly archive: ChatArchive;
  readonly limits: UserLimitsStore;
}
