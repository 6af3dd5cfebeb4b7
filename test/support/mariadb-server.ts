import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from './free-port.js';

/**
 * A throwaway MariaDB (or MySQL) server in a temp dir on a free port, from
 * the installed binaries. The global setup starts one for the whole run;
 * fault-injection tests start their own, to freeze, kill and restart it.
 */
export interface ThrowawayServer {
  readonly url: string;
  /** SIGSTOP: the server keeps its connections open and answers nothing. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** Shuts the server down (SIGTERM, as an operator would), keeping its data. */
  shutDown(): Promise<void>;
  /** Starts it again on the same data and port after shutDown(). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin', '/usr/local/bin', '/usr/bin'];

// Small and unsafe-on-crash settings: the data lives for one test run.
const FAST_SERVER_OPTIONS = [
  '--innodb-buffer-pool-size=32M',
  '--innodb-log-file-size=8M',
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--innodb-use-native-aio=0',
  '--skip-log-bin',
  '--skip-name-resolve',
  '--performance-schema=OFF',
];

export async function startThrowawayServer(): Promise<ThrowawayServer> {
  const server = findExecutable(['mariadbd', 'mysqld']);
  if (server === undefined) throw new Error('neither mariadbd nor mysqld is installed');
  const dir = mkdtempSync(join(tmpdir(), 'chatservice-mysql-'));
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const errorLog = join(dir, 'error.log');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  let child: ChildProcess | undefined;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  try {
    await initializeDataDir(server, dataDir, asRoot, join(dir, 'install.log'));
    const port = await freePort();
    const launch = (): ChildProcess =>
      spawn(
        server,
        [
          '--no-defaults',
          ...asRoot,
          `--datadir=${dataDir}`,
          `--socket=${socket}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--pid-file=${join(dir, 'mysqld.pid')}`,
          `--log-error=${errorLog}`,
          ...FAST_SERVER_OPTIONS,
        ],
        { stdio: 'ignore' },
      );
    const earlyExit = (started: ChildProcess) => {
      const exited = new Promise<never>((_, reject) => {
        started.once('error', reject);
        started.once('exit', (code, signal) => reject(new Error(`${server} exited early (${code ?? signal})`)));
      });
      exited.catch(() => {});
      return exited;
    };
    child = launch();
    const password = randomBytes(12).toString('hex');
    await Promise.race([earlyExit(child), createTestUser(socket, password)]);
    let running = child;
    return {
      url: `mysql://chatservice:${password}@127.0.0.1:${port}/chatservice_test`,
      freeze: () => void running.kill('SIGSTOP'),
      thaw: () => void running.kill('SIGCONT'),
      shutDown: async () => {
        running.kill('SIGCONT');
        await stopProcess(running);
      },
      restart: async () => {
        running = launch();
        child = running;
        await Promise.race([earlyExit(running), waitForServer(socket)]);
      },
      stop: async () => {
        running.kill('SIGCONT');
        await stopProcess(running);
        process.removeListener('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child) await stopProcess(child);
    const log = tail(errorLog);
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(log === '' ? detail : `${detail}\n${log}`, { cause: error });
  }
}

async function initializeDataDir(server: string, dataDir: string, asRoot: string[], logFile: string): Promise<void> {
  const installDb = findExecutable(['mariadb-install-db', 'mysql_install_db']);
  const isMariaDb = installDb !== undefined && installDb.includes('mariadb');
  // MariaDB's installer creates root@localhost without a password; MySQL 8 does the same with --initialize-insecure.
  const [command, args] = isMariaDb
    ? [
        installDb,
        [
          '--no-defaults',
          ...asRoot,
          `--datadir=${dataDir}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          ...FAST_SERVER_OPTIONS,
        ],
      ]
    : [server, ['--no-defaults', ...asRoot, `--datadir=${dataDir}`, '--initialize-insecure']];
  const log = openSync(logFile, 'w');
  const code = await new Promise<number | null>((resolve, reject) => {
    const init = spawn(command, args, { stdio: ['ignore', log, log] });
    init.once('error', reject);
    init.once('exit', resolve);
  }).finally(() => closeSync(log));
  if (code !== 0) throw new Error(`${command} failed (${code}):\n${tail(logFile)}`);
}

/** Waits for the server on its socket, then creates a password user that tests reach over TCP. */
async function createTestUser(socket: string, password: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const connection = await createConnection({ socketPath: socket, user: 'root', password: '' });
      try {
        await connection.query("CREATE USER 'chatservice'@'%' IDENTIFIED BY ?", [password]);
        await connection.query("GRANT ALL PRIVILEGES ON *.* TO 'chatservice'@'%'");
        // No charset on purpose: the server default (latin1 on MariaDB) proves the migrations set utf8mb4 per table.
        await connection.query('CREATE DATABASE chatservice_test');
      } finally {
        await connection.end();
      }
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const notUpYet = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!notUpYet || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Waits until the server answers on its socket again. */
async function waitForServer(socket: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const connection = await createConnection({ socketPath: socket, user: 'root', password: '' });
      await connection.end();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function findExecutable(names: readonly string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}


function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
