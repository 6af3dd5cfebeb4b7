import type { TestProject } from 'vitest/node';
import { startThrowawayServer } from './mariadb-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A MySQL server URL on which tests may create databases, or null when the MySQL suites are skipped. */
    mysqlUrl: string | null;
  }
}

/**
 * Provides `mysqlUrl` to the tests: MYSQL_URL when set, else a throwaway
 * MariaDB/MySQL server started from the installed binaries in a temp dir and
 * removed at the end. Without either, MySQL suites are skipped loudly, unless
 * REQUIRE_MYSQL=1, which makes the run fail instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.MYSQL_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    project.provide('mysqlUrl', fromEnv);
    return async () => {};
  }
  try {
    const server = await startThrowawayServer();
    project.provide('mysqlUrl', server.url);
    return server.stop;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.REQUIRE_MYSQL === '1') {
      throw new Error(`REQUIRE_MYSQL=1 but no MySQL server is available: ${reason}`, { cause: error });
    }
    console.warn(
      [
        '',
        '#'.repeat(78),
        '#  MySQL SUITES SKIPPED: no MYSQL_URL and no local server could be started.',
        `#  ${reason}`,
        '#  Install MariaDB (apt-get install mariadb-server) or set MYSQL_URL;',
        '#  set REQUIRE_MYSQL=1 to make this an error.',
        '#'.repeat(78),
        '',
      ].join('\n'),
    );
    project.provide('mysqlUrl', null);
    return async () => {};
  }
}

