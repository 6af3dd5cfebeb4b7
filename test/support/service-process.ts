import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SERVICE_TOKEN } from './test-app.js';

export interface ServiceProcess {
  readonly httpUrl: string;
  readonly grpcPort: number;
  readonly pid: number;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resident memory of the process now, in bytes (from /proc). */
  rssBytes(): number;
  /** SIGKILL: as a crash would. */
  kill(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  terminate(): Promise<number | null>;
}

/**
 * The real service (src/main.ts) as its own process, on ports 0, with the
 * given environment on top of a minimal one: for tests that kill it,
 * restart it, or run two of them on one database.
 */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      AUTH_TOKEN: SERVICE_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The last safety net: a worker that ends without its hooks still takes the service with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  const started = new Promise<{ httpUrl: string; grpcPort: number }>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`the service exited with ${code} before starting:\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'chatservice started') resolve({ httpUrl: entry.httpUrl as string, grpcPort: entry.grpcPort as number });
    });
  });
  const { httpUrl, grpcPort } = await withTimeout(started, 30_000, 'the service did not start within 30 s').catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    httpUrl,
    grpcPort,
    pid: child.pid!,
    logs,
    exited,
    rssBytes: () => rssOf(child),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    terminate: async () => {
      child.kill('SIGTERM');
      return withTimeout(exited, 30_000, 'the service did not exit within 30 s of SIGTERM');
    },
  };
}

function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
