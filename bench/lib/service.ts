import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, ROOT, run, spawnTracked, stopChild, tcpOpen, tempDir, waitUntil } from './processes.js';

export const BENCH_TOKEN = 'bench-service-token-0123456789';

/** How the service runs: compiled (dist/, after `npm run build`) or, when the tree does not build, from source with tsx. */
export interface ServiceRuntime {
  readonly kind: 'dist' | 'tsx';
  readonly note?: string | undefined;
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when a source file is newer than it (or, with `buildWhenStale`
 * false, runs from source with tsx instead: the quick run has no time for a
 * build). Falls back to tsx when the tree does not compile right now.
 */
export async function prepareService(log: (line: string) => void, options: { buildWhenStale: boolean }): Promise<ServiceRuntime> {
  const main = join(ROOT, 'dist/src/main.js');
  const built = existsSync(main) ? statSync(main).mtimeMs : 0;
  const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'migrations')));
  if (built > 0 && built >= sources) return { kind: 'dist' };
  if (!options.buildWhenStale) {
    log('dist/ is older than src/: running the service from source with tsx (npm run build first to run dist/)');
    return { kind: 'tsx', note: 'The service ran from source with tsx (dist/ was older than src/; same code, transpiled at load).' };
  }
  log('building the service (npm run build)');
  const { code, output } = await run('npm', ['run', 'build', '--silent']);
  if (code === 0) return { kind: 'dist' };
  const first = output.split('\n').find((line) => line.includes('error')) ?? output.slice(0, 200);
  log(`npm run build failed; running the service from source with tsx instead (${first.trim()})`);
  return { kind: 'tsx', note: `npm run build failed (${first.trim()}); the service ran from source with tsx` };
}

export interface RunningService {
  readonly pid: number;
  readonly httpUrl: string;
  readonly grpcAddress: string;
  readonly grpcListening: boolean;
  readonly logFile: string;
  /** SIGINT (a graceful stop, so a CPU profile is written), SIGKILL after the grace time. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  readonly runtime: ServiceRuntime;
  readonly databaseUrl: string;
  readonly upstreamUrl: string;
  readonly logLevel: string;
  /** Writes a V8 CPU profile to this file when the service stops. */
  readonly cpuProfile?: { readonly dir: string; readonly name: string } | undefined;
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  // Its own working directory: a developer's .env in the project root must not leak into the measurement.
  const dir = tempDir('chatservice-bench-');
  const cwd = dir.path;
  const logFile = join(cwd, 'service.log');
  const logFd = openSync(logFile, 'a');
  const profile = options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfile.dir}`, `--cpu-prof-name=${options.cpuProfile.name}`] : [];
  const entry = options.runtime.kind === 'dist' ? [join(ROOT, 'dist/src/main.js')] : ['--import', 'tsx', join(ROOT, 'src/main.ts')];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    AUTH_TOKEN: BENCH_TOKEN,
    DATABASE_URL: options.databaseUrl,
    OPENAI_BASE_URL: options.upstreamUrl,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '60000',
    LOG_LEVEL: options.logLevel,
    ...options.extraEnv,
  };
  // tsx resolves from the project, so it runs with the project as cwd in that mode.
  const child: ChildProcess = spawnTracked('service', process.execPath, [...profile, ...entry], {
    cwd: options.runtime.kind === 'tsx' ? ROOT : cwd,
    env,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    await stopChild(child, 'SIGINT', 15_000);
    dir.remove();
  };
  try {
    await waitUntil(async () => (await fetch(`${httpUrl}/readyz`)).ok, 60_000, 'service /readyz', child);
  } catch (error) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n--- service log ---\n${tail}`, { cause: error });
  }
  // gRPC starts with the app when its channel is wired in; give it a moment, then take what is there.
  let grpcListening = false;
  try {
    await waitUntil(() => tcpOpen(grpcPort), 3_000, 'gRPC port', child);
    grpcListening = true;
  } catch {
    grpcListening = false;
  }
  return { pid: child.pid!, httpUrl, grpcAddress: `127.0.0.1:${grpcPort}`, grpcListening, logFile, stop };
}
