import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/**
 * The README's promise: with no configuration at all the service starts on
 * SQLite and the offline stand-in, prints a service token once, and chats.
 * This starts the real entry point as its own process.
 */
describe('the quickstart', () => {
  it('serves /healthz and a continuing chat with no configuration, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatservice-quickstart-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      // Only what a fresh shell has: no keys, no tokens. Ports 0 so parallel runs never collide.
      env: { PATH: process.env.PATH, HOME: dir, HTTP_PORT: '0', GRPC_PORT: '0', DATABASE_URL: join(dir, 'chat.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const logs: Record<string, unknown>[] = [];
      const started = new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'chatservice started') resolve(entry.httpUrl as string);
        });
      });
      const httpUrl = await started;
      const token = /authorization: Bearer (\S+)"/.exec(stderr)?.[1];
      expect(token).toBeDefined();
      expect(logs.some((l) => l.level === 40 && String(l.msg).includes('offline stand-in'))).toBe(true);

      expect((await fetch(`${httpUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${httpUrl}/readyz`)).status).toBe(200);
      // The chat page the README points at.
      expect(await (await fetch(`${httpUrl}/`)).text()).toContain('<title>chatservice</title>');
      const chat = (body: object) =>
        fetch(`${httpUrl}/chat`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
      const first = await chat({ user_id: 'alice', user_message: 'Hello' });
      expect(first.status).toBe(200);
      expect(first.body.content).toContain('I received 2 messages');
      const second = await chat({ chat_id: first.body.chat_id, user_id: 'alice', user_message: 'Again' });
      expect(second.body).toMatchObject({ chat_id: first.body.chat_id, user_id: 'alice' });
      expect(second.body.content).toContain('I received 4 messages');
      expect((await chat({ user_id: 'alice', user_message: 'x' }).catch(() => null))?.status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Message contents never reach the logs at info level.
      expect(logs.map((l) => JSON.stringify(l)).join('\n')).not.toContain('Hello');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
