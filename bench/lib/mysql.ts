import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { TestProject } from 'vitest/node';

export type MysqlStore = { readonly url: string; readonly source: string; stop(): Promise<void> } | { readonly unavailable: string };

/**
 * A MySQL database for the bench: a new database on MYSQL_URL's server when
 * set, else the test suite's throwaway MariaDB/MySQL server (started from the
 * installed binaries in a temp dir, removed at the end), else unavailable.
 */
export async function provisionMysql(): Promise<MysqlStore> {
  const fromEnv = process.env.MYSQL_URL;
  if (fromEnv !== undefined && fromEnv !== '') return onServer(fromEnv);
  try {
    // The test suite's global setup starts the throwaway server; it only needs somewhere to `provide` the URL.
    const { default: setup } = await import('../../test/support/global-setup.js');
    let url: string | null = null;
    const project = { provide: (_key: string, value: string | null) => (url = value) } as unknown as TestProject;
    const saved = process.env.REQUIRE_MYSQL;
    process.env.REQUIRE_MYSQL = '1';
    let stop: () => Promise<void>;
    try {
      stop = await setup(project);
    } finally {
      if (saved === undefined) delete process.env.REQUIRE_MYSQL;
      else process.env.REQUIRE_MYSQL = saved;
    }
    if (url === null) return { unavailable: 'no MYSQL_URL and no local MariaDB/MySQL server could be started' };
    return { url, source: 'throwaway mariadbd/mysqld (test/support/global-setup.ts)', stop };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { unavailable: `no MYSQL_URL and no local server: ${reason}` };
  }
}

async function onServer(serverUrl: string): Promise<MysqlStore> {
  const name = `chatservice_bench_${randomBytes(4).toString('hex')}`;
  const server = new URL(serverUrl);
  const connect = () =>
    createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
    });
  try {
    const admin = await connect();
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    await admin.end();
  } catch (error) {
    return { unavailable: `MYSQL_URL is set but unusable: ${(error as Error).message}` };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    source: 'MYSQL_URL',
    stop: async () => {
      const admin = await connect();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
