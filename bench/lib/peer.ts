import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ROOT, run, spawnTracked, stopChild, tempDir, waitUntil } from './processes.js';

const PEER_DIR = join(ROOT, 'bench/peer');
const ENTRY = join(PEER_DIR, 'node_modules/@portkey-ai/gateway/build/start-server.js');

export type Peer =
  | { readonly url: string; readonly pid: number; readonly version: string; stop(): Promise<void> }
  | { readonly unavailable: string };

/**
 * @portkey-ai/gateway, kept out of the project's dependencies: bench/peer has
 * its own package.json and is installed on first use. Started on 127.0.0.1
 * traffic only (the bench calls it there), headless.
 */
export async function startPeer(log: (line: string) => void): Promise<Peer> {
  if (!existsSync(ENTRY)) {
    log('installing the peer gateway (npm install --prefix bench/peer)');
    const { code, output } = await run('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund']);
    if (code !== 0 || !existsSync(ENTRY)) {
      return { unavailable: `npm install of @portkey-ai/gateway failed: ${output.trim().split('\n').slice(-3).join(' | ')}` };
    }
  }
  const version = (JSON.parse(readFileSync(join(PEER_DIR, 'node_modules/@portkey-ai/gateway/package.json'), 'utf8')) as { version: string }).version;
  const port = await freePort();
  const logFile = join(tempDir('chatservice-bench-portkey-').path, 'portkey.log');
  const fd = openSync(logFile, 'w');
  const child = spawnTracked('peer', process.execPath, [ENTRY, `--port=${port}`, '--headless'], {
    cwd: PEER_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  try {
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/`)).status > 0, 20_000, 'peer gateway', child);
  } catch (error) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join(' | ') : '';
    await stopChild(child);
    return { unavailable: `@portkey-ai/gateway ${version} did not start on Node ${process.version}: ${(error as Error).message} ${tail}`.trim() };
  }
  return { url: `http://127.0.0.1:${port}/v1`, pid: child.pid!, version, stop: () => stopChild(child) };
}
