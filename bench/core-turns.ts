/**
 * CPU per turn of the chat core alone, in-process: the real app (store,
 * tokenizer, use cases, event bus) with an upstream stand-in that streams a
 * fixed reply at once, so what is measured is our own work per turn.
 * `npx tsx bench/core-turns.ts [turns] [concurrency]`; SQLite in a temp file.
 * Concurrency (default 1) is how many users take turns at once, each in
 * their own chats: at 64, SQLite's group commit has turns to group.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/infra/logging/logger.js';
import type { CompletionChunk, CompletionModel } from '../src/use-cases/ports.js';

const DELTAS = ['Hello', ' there', ',', ' this', ' is', ' a', ' short', ' reply.'];

const instantUpstream: CompletionModel = {
  description: 'instant in-process upstream',
  async *stream(): AsyncIterable<CompletionChunk> {
    for (const text of DELTAS) yield { type: 'delta', text };
    yield { type: 'finish', finishReason: 'stop', usage: null };
  },
  complete: async () => ({ text: DELTAS.join(''), finishReason: 'stop', usage: null }),
};

const turns = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'chatservice-core-bench-'));
const config = loadConfig({ DATABASE_URL: join(dir, 'bench.db'), HTTP_PORT: '0', GRPC_PORT: '0', HOST: '127.0.0.1', AUTH_TOKEN: 'bench-token' });
const app = await buildApp(config, { completions: instantUpstream, logger: createLogger({ level: 'warn' }) });
await app.start();

async function turn(userId: string, chatId: string | undefined, i: number): Promise<string> {
  const stream = await app.core.sendMessage({ userId, chatId, content: `Message ${i}: how are you today?` });
  for await (const _event of stream);
  return stream.chat.id;
}

/** One user's turns, one after another; each chat takes 10 turns (as the service bench's clients do). */
async function user(userId: string, count: number): Promise<void> {
  let chatId: string | undefined;
  for (let i = 0; i < count; i++) chatId = await turn(userId, i % 10 === 0 ? undefined : chatId, i);
}
const users = (count: number) =>
  Promise.all(Array.from({ length: concurrency }, (_, u) => user(`bench-${u}`, Math.ceil(count / concurrency))));

await users(200); // warm-up
const cpu = process.cpuUsage();
const start = performance.now();
await users(turns);
const elapsed = performance.now() - start;
const used = process.cpuUsage(cpu);
console.log(
  `${turns} turns, ${concurrency} at once: ${(elapsed / turns).toFixed(3)} ms wall, ${((used.user + used.system) / 1000 / turns).toFixed(3)} ms CPU per turn, ${Math.round((turns / elapsed) * 1000)} turns/s`,
);
await app.stop();
rmSync(dir, { recursive: true, force: true });
