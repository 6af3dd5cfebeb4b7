/**
 * CPU per turn of reading the upstream stream alone, in one process, against
 * the bench's fake upstream (its own process): the `openai` SDK's Stream (what
 * OpenAICompletionModel.stream did before issue 13), the adapter as it is now
 * (the SDK opens the request, CompletionSseDecoder reads the body), and the
 * floor's client (node:http + CompletionSseDecoder, no SDK at all).
 *
 *   npx tsx bench/upstream-reader.ts [--mode=zero|paced|paced20] [--concurrency=64] [--turns=3000] [--rounds=3]
 *
 * Variants alternate round by round (A B C, A B C, ...) so drift on a shared
 * machine spreads over all of them; the figure is the median round.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import OpenAI from 'openai';
import { ModelCatalog } from '../src/domain/models.js';
import { OpenAICompletionModel } from '../src/infra/openai/openai-completion-model.js';
import type { ChatConfig } from '../src/domain/chat-config.js';
import type { CompletionRequest } from '../src/use-cases/ports.js';
import { LeanUpstream } from './floor/lean-upstream.js';
import { forkTs, installCleanup, ROOT, stopAll, waitForMessage } from './lib/processes.js';
import { UPSTREAM_MODES } from './upstream/modes.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'zero' },
    concurrency: { type: 'string', default: '64' },
    turns: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
  },
});
const mode = values.mode as keyof typeof UPSTREAM_MODES;
if (!(mode in UPSTREAM_MODES)) throw new Error('--mode must be zero, paced or paced20');
const concurrency = Number(values.concurrency);
const turns = Number(values.turns);
const rounds = Number(values.rounds);

const SYSTEM = 'You are a helpful assistant.';
const TEXT = 'Hello! Can you tell me something about foxes?';
const CONFIG: ChatConfig = { temperature: 1, topP: 1, maxTokens: 1024, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' };

type Turn = () => Promise<number>;

/** The adapter's stream loop before issue 13: the SDK's Stream, chunk by chunk, with the same idle timer. */
function sdkStream(url: string): Turn {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0, timeout: 60_000 });
  return async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: TEXT }], stream: true, stream_options: { include_usage: true }, temperature: 1, top_p: 1, max_tokens: 1024, presence_penalty: 0, frequency_penalty: 0 },
      { signal: new AbortController().signal },
    );
    let deltas = 0;
    let finish: string | null = null;
    let waiting = true;
    const idle: NodeJS.Timeout = setTimeout(() => (waiting ? stream.controller.abort() : idle.refresh()), 60_000);
    try {
      for await (const chunk of stream) {
        waiting = false;
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (choice?.delta?.content) deltas += 1;
        waiting = true;
        idle.refresh();
      }
    } finally {
      clearTimeout(idle);
    }
    if (finish === null) throw new Error('no finish');
    return deltas;
  };
}

function adapter(url: string): Turn {
  const model = new OpenAICompletionModel({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0, timeoutMs: 60_000 });
  const spec = new ModelCatalog({ unknownModelWindow: 128_000 }).resolve('gpt-4o-mini').spec;
  return async () => {
    const request: CompletionRequest = { model: spec, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: TEXT }], config: CONFIG, signal: new AbortController().signal };
    let deltas = 0;
    for await (const chunk of model.stream(request)) if (chunk.type === 'delta') deltas += 1;
    return deltas;
  };
}

function floorClient(url: string): Turn {
  const upstream = new LeanUpstream(url, 'sk-bench', 'gpt-4o-mini', SYSTEM);
  return () =>
    new Promise((resolve, reject) => {
      let deltas = 0;
      upstream.stream(TEXT, { delta: () => (deltas += 1), finish: () => resolve(deltas), fail: (reason) => reject(new Error(reason)) });
    });
}

async function measure(turn: Turn): Promise<{ cpuMsPerTurn: number; turnsPerS: number }> {
  let left = turns;
  const worker = async () => {
    while (left > 0) {
      left -= 1;
      await turn();
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMsPerTurn: (used.user + used.system) / 1000 / turns, turnsPerS: (turns * 1000) / elapsed };
}

async function main(): Promise<void> {
  installCleanup();
  const upstream = forkTs('upstream', join(ROOT, 'bench/upstream/fake-upstream.ts'));
  const url = await waitForMessage(upstream, (m: { type?: string; url?: string }) => (m.type === 'ready' ? m.url : undefined), 30_000, 'fake upstream');
  upstream.send({ type: 'mode', mode });
  await waitForMessage(upstream, (m: { type?: string }) => (m.type === 'mode-set' ? true : undefined), 5_000, 'upstream mode');
  const variants: [string, Turn][] = [
    ['openai SDK Stream (before)', sdkStream(url)],
    ['adapter: SDK request + CompletionSseDecoder (now)', adapter(url)],
    ['floor: node:http + CompletionSseDecoder', floorClient(url)],
  ];
  // Warm-up: JIT and connection pools.
  for (const [, turn] of variants) await Promise.all(Array.from({ length: Math.min(concurrency, 32) }, () => turn()));
  const results = new Map<string, { cpuMsPerTurn: number; turnsPerS: number }[]>();
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, turn] of variants) {
      const result = await measure(turn);
      results.set(name, [...(results.get(name) ?? []), result]);
      console.log(`round ${round + 1} ${name}: ${result.cpuMsPerTurn.toFixed(3)} ms CPU/turn, ${result.turnsPerS.toFixed(0)} turns/s`);
    }
  }
  console.log(`\n${mode} upstream (${UPSTREAM_MODES[mode].deltas.length} deltas), concurrency ${concurrency}, ${turns} turns per round, median of ${rounds} rounds:`);
  for (const [name, list] of results) {
    const median = [...list].sort((a, b) => a.cpuMsPerTurn - b.cpuMsPerTurn)[Math.floor(list.length / 2)]!;
    console.log(`  ${name.padEnd(52)} ${median.cpuMsPerTurn.toFixed(3)} ms CPU/turn  ${median.turnsPerS.toFixed(0)} turns/s`);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
    process.exit();
  });
