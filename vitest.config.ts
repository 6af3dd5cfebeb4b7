import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/** Tests of pure code and of the use cases over in-memory ports: no database, no server, seconds. */
const UNIT = ['src/**/*.test.ts', 'test/unit/**/*.test.ts'];

export default defineConfig({
  test: {
    // Generous: a loaded CI machine must not turn a slow test into a failure.
    testTimeout: 20_000,
    // `npm test` runs both; `npm run test:unit` / `test:integration` one (--project).
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          // Plain modules and no process state: workers are reused across files, so each pays
          // for its imports and tokenizer ranks once, not once per file.
          pool: 'threads',
          isolate: false,
          // Every core (vitest's default leaves one free: half of a 2-core machine). A project with
          // its own maxWorkers needs its own group: unit files run first, then the integration ones.
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT],
          // Starts a throwaway MariaDB (or uses MYSQL_URL) for the store-backed suites.
          globalSetup: ['test/support/global-setup.ts'],
          hookTimeout: 60_000,
          // Servers, child processes and native drivers: each file in its own process.
          pool: 'forks',
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
