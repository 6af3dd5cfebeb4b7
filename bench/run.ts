import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { loadConfig } from '../src/config.js';
import type { CellResult, CellSpec, ClosedLoad, OpenLoad } from './load/cell.js';
import { provisionMysql } from './lib/mysql.js';
import { startPeer, type Peer } from './lib/peer.js';
import { makePlan, REPLICA_SURFACES, type Mode, type Plan, type Store } from './lib/plan.js';
import { redisServerInstalled, startThrowawayRedis } from '../test/support/redis-server.js';
import { machine, rssMb } from './lib/proc-stats.js';
import { forkTs, installCleanup, ROOT, stopAll, tempDir, waitForMessage } from './lib/processes.js';
import { summarizeProfile } from './lib/profile.js';
import { writeReadmeSection, renderMarkdown } from './lib/readme.js';
import {
  rowOf,
  unavailableRow,
  withFloorRatios,
  type Entry,
  type Figure,
  type HistoryFigure,
  type IdleFigure,
  type Row,
  type StallFigure,
  type StallLevel,
} from './lib/results.js';
import { RpcClient } from './lib/rpc.js';
import { BENCH_TOKEN, prepareService, startService, type RunningService, type ServiceRuntime } from './lib/service.js';
import { round } from './lib/stats.js';
import { checkTargets } from './lib/targets.js';
import { SURFACES, surfaceInfo, type SurfaceInfo, type SurfaceName } from './surfaces/index.js';
import type { Target } from './surfaces/surface.js';
import { replyMs, UPSTREAM_MODES } from './upstream/modes.js';

/**
 * `npm run bench` — the orchestrator. Starts the fake upstream, the load
 * generator, the peer gateway and (per store) the service, each in its own
 * process; runs every cell of the plan through the load generator; writes
 * bench/results/latest.json and the README table. Beside the service runs the
 * floor (bench/floor/floor-server.ts), a bare pass-through measured in the same
 * run, so each service row also reads as a ratio to it. `--quick` runs a
 * subset in about two minutes; `--profile` CPU-profiles the service.
 */

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    stores: { type: 'string' },
    surfaces: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    'streams-levels': { type: 'string' },
    'no-readme': { type: 'boolean', default: false },
    'readme-only': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    out: { type: 'string', default: 'bench/results/latest.json' },
    'profile-seconds': { type: 'string', default: '8' },
    'profile-concurrency': { type: 'string', default: '64' },
    'profile-mode': { type: 'string', default: 'zero' },
  },
  strict: true,
});

const startedAt = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)}s] ${line}`);
const defaults = loadConfig({});
const TEXT = 'Hello! Can you tell me something about foxes?';
const SURFACE_ORDER_FOR_SPECIALS: readonly SurfaceName[] = ['grpc-v1', 'graphql-ws', 'grpc-legacy', 'graphql-sse', 'http-chat'];

interface Harness {
  readonly upstream: ChildProcess;
  readonly upstreamUrl: string;
  readonly loadgen: RpcClient;
  readonly loadgenPid: number;
  /** The pass-through floor, one process for the whole run (absent with --no-floor or when it failed to start). */
  floor: Floor | undefined;
  mode: Mode | undefined;
}

interface Floor {
  readonly pid: number;
  readonly httpUrl: string;
  readonly grpcAddress: string;
}

async function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const child = forkTs('upstream', join(ROOT, 'bench/upstream/fake-upstream.ts'));
  const url = await waitForMessage(child, (m: { type?: string; url?: string }) => (m.type === 'ready' ? m.url : undefined), 30_000, 'fake upstream');
  return { child, url };
}

/** The floor in its own process, like the service: same upstream, same token, same model and system prompt. */
async function startFloor(upstreamUrl: string, target: Target): Promise<Floor> {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    FLOOR_UPSTREAM_URL: upstreamUrl,
    FLOOR_TOKEN: target.token,
    FLOOR_MODEL: target.model,
    FLOOR_SYSTEM_PROMPT: target.systemPrompt,
  };
  const child = forkTs('floor', join(ROOT, 'bench/floor/floor-server.ts'), [], env);
  const ready = await waitForMessage(child, (m: { type?: string; httpUrl?: string; grpcAddress?: string }) => (m.type === 'ready' ? m : undefined), 30_000, 'floor');
  return { pid: child.pid!, httpUrl: ready.httpUrl!, grpcAddress: ready.grpcAddress! };
}

async function startLoadgen(): Promise<{ rpc: RpcClient; pid: number }> {
  const child = forkTs('loadgen', join(ROOT, 'bench/load/load-generator.ts'));
  await waitForMessage(child, (m: { type?: string }) => (m.type === 'ready' ? true : undefined), 30_000, 'load generator');
  return { rpc: new RpcClient(child, 'load generator'), pid: child.pid! };
}

async function setMode(h: Harness, mode: Mode): Promise<void> {
  if (h.mode === mode) return;
  h.upstream.send({ type: 'mode', mode });
  await waitForMessage(h.upstream, (m: { type?: string; mode?: string }) => (m.type === 'mode-set' && m.mode === mode ? true : undefined), 5_000, 'upstream mode');
  h.mode = mode;
}

function runCell(h: Harness, spec: CellSpec): Promise<CellResult> {
  const budget = spec.warmupMs + spec.maxDurationMs + spec.turnTimeoutMs * (spec.turnsPerClient ?? 1) + 60_000;
  return h.loadgen.call<CellResult>('cell', spec, budget);
}

function cellSpec(plan: Plan, mode: Mode, surface: SurfaceName, target: Target, load: ClosedLoad | OpenLoad, watch: Readonly<Record<string, number>>, extra: Partial<CellSpec> = {}): CellSpec {
  return {
    surface,
    target,
    load,
    ...plan.timing[mode],
    // Every client contributes at least one recorded turn.
    minTurns: Math.max(plan.timing[mode].minTurns, load.kind === 'closed' ? load.concurrency : 0),
    turnTimeoutMs: plan.turnTimeoutMs,
    turnsPerChat: plan.turnsPerChat,
    userPrefix: `bench-${surface}-${mode}-${Math.random().toString(36).slice(2, 8)}`,
    text: TEXT,
    watch,
    ...extra,
  };
}

const baselineKey = (mode: Mode, load: ClosedLoad | OpenLoad) => `${mode}|${load.kind === 'closed' ? `c${load.concurrency}` : `r${load.ratePerS}`}`;

function describeCell(r: CellResult): string {
  const f = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
  return `ttft ${f(r.ttft.p50)}/${f(r.ttft.p99)} turn ${f(r.turn.p50)}/${f(r.turn.p99)} ms, ${r.turnsPerS.toFixed(0)}/s, ${r.completed} ok, ${r.errors} err` +
    (r.errorSamples.length > 0 ? ` (${r.errorSamples[0]})` : '');
}

function loads(plan: Plan, mode: Mode): (ClosedLoad | OpenLoad)[] {
  return [
    ...plan.concurrencies[mode].map((concurrency): ClosedLoad => ({ kind: 'closed', concurrency })),
    ...plan.openRates[mode].map((ratePerS): OpenLoad => ({ kind: 'open', ratePerS, maxInFlight: 2048 })),
  ];
}

/** Which service surfaces can run against this service: wired into src/app.ts, listening, and answering a probe turn. */
async function probeSurfaces(h: Harness, plan: Plan, service: RunningService, target: Target, store: Store): Promise<{ ok: SurfaceInfo[]; rows: Row[] }> {
  const app = readFileSync(join(ROOT, 'src/app.ts'), 'utf8');
  const ok: SurfaceInfo[] = [];
  const rows: Row[] = [];
  await setMode(h, 'zero');
  for (const info of SURFACES.filter((s) => s.kind === 'service' && (plan.surfaces === undefined || plan.surfaces.includes(s.name)))) {
    let reason: string | undefined;
    if (info.wiredWhen && !info.wiredWhen.test(app)) reason = 'its channel is not wired into src/app.ts yet';
    else if (info.name.startsWith('grpc') && !service.grpcListening) reason = 'the service does not listen on GRPC_PORT';
    else {
      const probe = await h.loadgen.call<{ ok: boolean; error?: string }>('probe', { surface: info.name, target, timeoutMs: 10_000 }, 30_000);
      if (!probe.ok) reason = `a probe turn failed: ${probe.error}`;
    }
    if (reason) {
      log(`  ${info.name}: not available (${reason})`);
      rows.push(unavailableRow(info.name, store, reason));
    } else ok.push(info);
  }
  return { ok, rows };
}

async function measureBaselines(h: Harness, plan: Plan, target: Target, peer: Peer, baselines: Map<string, CellResult>, out: Entry[]): Promise<void> {
  const peerOn = 'url' in peer && (plan.surfaces === undefined || plan.surfaces.includes('peer-portkey'));
  for (const mode of plan.modes) {
    await setMode(h, mode);
    for (const load of loads(plan, mode)) {
      const direct = await runCell(h, cellSpec(plan, mode, 'direct', target, load, { upstream: h.upstream.pid! }));
      baselines.set(baselineKey(mode, load), direct);
      log(`direct ${mode} ${baselineKey(mode, load)}: ${describeCell(direct)}`);
      out.push(rowOf('direct', '-', mode, direct, undefined, load, undefined));
      if (peerOn && 'pid' in peer) {
        const result = await runCell(h, cellSpec(plan, mode, 'peer-portkey', target, load, { peer: peer.pid, upstream: h.upstream.pid! }));
        log(`peer-portkey ${mode} ${baselineKey(mode, load)}: ${describeCell(result)}`);
        out.push(rowOf('peer-portkey', '-', mode, result, direct, load, 'peer'));
      }
    }
  }
}

/** Which floors to measure beside these service surfaces: each one's own floor, and any named in --surfaces. */
async function probeFloors(h: Harness, plan: Plan, target: Target, surfaces: readonly SurfaceInfo[]): Promise<SurfaceInfo[]> {
  if (!h.floor) return [];
  const ok: SurfaceInfo[] = [];
  await setMode(h, 'zero');
  for (const info of SURFACES.filter((s) => s.kind === 'floor')) {
    if (!(plan.surfaces?.includes(info.name) || surfaces.some((s) => s.floor === info.name))) continue;
    const probe = await h.loadgen.call<{ ok: boolean; error?: string }>('probe', { surface: info.name, target, timeoutMs: 10_000 }, 30_000);
    if (probe.ok) ok.push(info);
    else log(`  ${info.name}: not available (a probe turn failed: ${probe.error})`);
  }
  return ok;
}

/**
 * Every mode, every load, every surface — load by load, each floor just before
 * the first service surface it stands under, so a row and its floor are
 * measured seconds apart (this machine is shared; the ratio is the figure).
 */
async function measureSurfaces(h: Harness, plan: Plan, store: Store, service: RunningService, target: Target, surfaces: SurfaceInfo[], floors: SurfaceInfo[], baselines: Map<string, CellResult>, out: Entry[]): Promise<void> {
  const ordered: SurfaceInfo[] = [];
  for (const info of surfaces) {
    const floor = floors.find((f) => f.name === info.floor);
    if (floor && !ordered.includes(floor)) ordered.push(floor);
    ordered.push(info);
  }
  for (const floor of floors) if (!ordered.includes(floor)) ordered.unshift(floor);
  for (const mode of plan.modes) {
    await setMode(h, mode);
    for (const load of loads(plan, mode)) {
      const floorRows = new Map<SurfaceName, Row>();
      for (const info of ordered) {
        const floor = info.kind === 'floor';
        const watch = { [floor ? 'floor' : 'service']: floor ? h.floor!.pid : service.pid, upstream: h.upstream.pid! };
        const result = await runCell(h, cellSpec(plan, mode, info.name, target, load, watch));
        const row = rowOf(info.name, floor ? '-' : store, mode, result, baselines.get(baselineKey(mode, load)), load, floor ? 'floor' : 'service');
        if (floor) floorRows.set(info.name, row);
        const [withRatio] = info.floor && floorRows.has(info.floor) ? withFloorRatios([row, floorRows.get(info.floor)!], () => info.floor) : [row];
        const ratios = withRatio?.cpu_vs_floor != null ? ` — CPU ${withRatio.cpu_ms_per_turn} ms/turn = ${withRatio.cpu_vs_floor}x ${info.floor}, turns/s ${withRatio.turns_per_s_vs_floor}x` : floor ? ` — CPU ${row.cpu_ms_per_turn} ms/turn` : '';
        log(`${info.name} ${floor ? '-' : store} ${mode} ${baselineKey(mode, load)}: ${describeCell(result)}${ratios}`);
        out.push(row);
      }
    }
  }
}

async function historyFigures(h: Harness, plan: Plan, store: Store, service: RunningService, target: Target, surface: SurfaceName): Promise<HistoryFigure[]> {
  const { history } = plan;
  await setMode(h, 'zero');
  const userId = `bench-history-${Math.random().toString(36).slice(2, 8)}`;
  // Seeded through POST /chat, the quickest way to write turns; measured through `surface`.
  log(`history: seeding ${history.bigChats} chat(s) of ${history.bigTurns * 2} messages and ${history.smallChats} of ${history.smallTurns * 2}`);
  const seed = (chats: number, turns: number) =>
    h.loadgen.call<string[]>('seed', { surface: 'http-chat', target, userId, chats, turns, text: TEXT }, 300_000);
  const [big, small] = await Promise.all([seed(history.bigChats, history.bigTurns), seed(history.smallChats, history.smallTurns)]);
  const figures: HistoryFigure[] = [];
  for (const mode of history.modes) {
    await setMode(h, mode);
    const measure = (chats: string[]) =>
      runCell(
        h,
        cellSpec(plan, mode, surface, target, { kind: 'closed', concurrency: 1 }, { service: service.pid }, {
          chats: [chats.map((chatId) => ({ userId, chatId }))],
          warmupMs: 0,
          durationMs: 0,
          minTurns: history.measureTurns[mode] ?? 10,
          maxDurationMs: 60_000,
        }),
      );
    // Small, big, small again: the mean of the two small runs cancels drift over the measurement.
    const small1 = await measure(small);
    const bigResult = await measure(big);
    const small2 = await measure(small);
    const mean = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : (a + b) / 2);
    const summary = (ttft: number | undefined, turn: number | undefined, p99: number | undefined, r: CellResult[]) => ({
      ttft_p50_ms: round(ttft),
      turn_p50_ms: round(turn),
      turn_p99_ms: round(p99),
      cpu_ms_per_turn: round(r.reduce((s, x) => s + (x.cpuMs.service ?? 0), 0) / Math.max(1, r.reduce((s, x) => s + x.completed, 0)), 3),
    });
    const smallTtft = mean(small1.ttft.p50, small2.ttft.p50);
    const smallTurn = mean(small1.turn.p50, small2.turn.p50);
    const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? null : round(a / b, 3));
    const first = (history.smallTurns * 2) + 1;
    const turns = history.measureTurns[mode] ?? 10;
    const smallSummary = summary(smallTtft, smallTurn, mean(small1.turn.p99, small2.turn.p99), [small1, small2]);
    const bigSummary = summary(bigResult.ttft.p50, bigResult.turn.p50, bigResult.turn.p99, [bigResult]);
    const fig: HistoryFigure = {
      figure: 'history_1000_vs_10_messages',
      surface,
      store,
      mode,
      small_chat_messages: `${first}–${first + Math.ceil((turns * 2 * 2) / history.smallChats)}`,
      big_chat_messages: `${history.bigTurns * 2 + 1}–${history.bigTurns * 2 + 1 + Math.ceil((turns * 2) / history.bigChats)}`,
      small: smallSummary,
      big: bigSummary,
      turn_p50_ratio: ratio(bigResult.turn.p50, smallTurn),
      ttft_p50_ratio: ratio(bigResult.ttft.p50, smallTtft),
      cpu_ratio: ratio(bigSummary.cpu_ms_per_turn ?? undefined, smallSummary.cpu_ms_per_turn ?? undefined),
    };
    log(`history ${store} ${mode}: big ${describeCell(bigResult)} | small ${describeCell(small1)} → ${fig.turn_p50_ratio}x`);
    figures.push(fig);
  }
  return figures;
}

/**
 * The most concurrent streams at the plan's pace (20 ms between deltas) with
 * no gap between two pieces of text over `gapFactor` x the pacing: levels in
 * order until one fails, then bisection, within a time budget. `measured`
 * names the process under test (the service, the floor, or none for the
 * direct call).
 */
async function stallSearch(h: Harness, plan: Plan, store: Store | '-', measured: Record<string, number>, target: Target, surface: SurfaceName): Promise<StallFigure> {
  const { streams: search } = plan;
  await setMode(h, search.mode);
  const paceMs = UPSTREAM_MODES[search.mode].chunkDelayMs;
  const limits = { gapMs: paceMs * search.gapFactor };
  const levels: StallLevel[] = [];
  const started = Date.now();
  // The issue's definition: a gap between two pieces of text over 10x the pacing. The wait
  // for the first piece is reported per level (ttft), not part of the verdict.
  const tryLevel = async (streams: number): Promise<boolean> => {
    const watch: Record<string, number> = { ...measured, upstream: h.upstream.pid!, loadgen: h.loadgenPid };
    const result = await runCell(
      h,
      cellSpec(plan, search.mode, surface, target, { kind: 'closed', concurrency: streams, rampMs: replyMs(search.mode) }, watch, {
        // Clients start spread over one reply and take two turns each: the first opens the
        // connection and is not recorded, the second runs among all the others and is.
        warmupMs: 0,
        durationMs: 0,
        minTurns: 0,
        maxDurationMs: 0,
        turnTimeoutMs: search.turnTimeoutMs,
        turnsPerChat: 1_000,
        turnsPerClient: 2,
        stallLimits: limits,
      }),
    );
    const passed = result.completed > 0 && result.errors === 0 && result.stalledTurns === 0;
    const verdict = passed
      ? undefined
      : result.completed === 0
        ? 'no turn completed'
        : [result.stalledTurns > 0 ? `${result.stalledTurns} of ${result.completed} turns had a gap over ${limits.gapMs} ms` : '', result.errors > 0 ? `${result.errors} errors` : '']
            .filter(Boolean)
            .join('; ');
    levels.push({
      streams,
      passed,
      ...(verdict ? { verdict } : {}),
      turns: result.completed,
      errors: result.errors,
      stalled_turns: result.stalledTurns,
      max_gap_ms: round(result.maxGapMs),
      ttft_p50_ms: round(result.ttft.p50),
      ttft_p99_ms: round(result.ttft.p99),
      cpu_ms: Object.fromEntries(Object.entries(result.cpuMs).map(([k, v]) => [k, round(v, 0)])),
      window_ms: round(result.windowMs, 0)!,
      loadgen_loop_delay_max_ms: round(result.loadgen.loopDelayMaxMs)!,
      ...(result.errorSamples.length > 0 ? { error_samples: result.errorSamples } : {}),
    });
    log(
      `streams ${surface} ${streams} at ${paceMs} ms: ${passed ? 'ok' : 'STALL'} — ${result.stalledTurns} stalled, max gap ${result.maxGapMs?.toFixed(0)} ms, ` +
        `${describeCell(result)}, loadgen loop max ${result.loadgen.loopDelayMaxMs.toFixed(0)} ms`,
    );
    return passed;
  };
  let best = 0;
  let failed: number | null = null;
  for (const streams of search.levels) {
    if (Date.now() - started > search.budgetMs && levels.length > 0) break;
    if (await tryLevel(streams)) best = streams;
    else {
      failed = streams;
      break;
    }
  }
  for (let step = 0; failed !== null && step < search.bisectSteps && failed - best > Math.max(16, best / 8); step += 1) {
    if (Date.now() - started > search.budgetMs) break;
    const mid = Math.round((best + failed) / 2);
    if (await tryLevel(mid)) best = mid;
    else failed = mid;
  }
  return {
    figure: 'max_paced_streams_without_stall',
    surface,
    store,
    mode: search.mode,
    pace_ms: paceMs,
    gap_limit_ms: limits.gapMs,
    max_streams: best,
    first_failed_streams: failed,
    levels,
  };
}

async function idleFigure(h: Harness, plan: Plan, store: Store, service: RunningService, target: Target, available: boolean): Promise<IdleFigure> {
  if (!available) {
    const why = plan.surfaces && !plan.surfaces.includes('graphql-ws') ? 'graphql-ws is not among this run\'s --surfaces' : 'the graphql-ws surface is not available';
    return { figure: 'idle_subscription_memory', surface: 'graphql-ws', store, available: false, note: `not measured: ${why}` };
  }
  await setMode(h, 'zero');
  const userId = 'bench-idle';
  const [chatId] = await h.loadgen.call<string[]>('seed', { surface: 'graphql-ws', target, userId, chats: 1, turns: 1, text: TEXT }, 60_000);
  const settle = async () => {
    await sleep(plan.idle.settleMs);
    const samples: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      samples.push(rssMb(service.pid) ?? 0);
      await sleep(100);
    }
    return Math.min(...samples);
  };
  const measure = async (count: number, sharedSocket: boolean) => {
    if (count === 0) return undefined;
    const before = await settle();
    const opened = await h.loadgen.call<{ opened: number; errors: string[] }>('idleOpen', { target, userId, chatId, count, sharedSocket }, 120_000);
    const after = await settle();
    await h.loadgen.call('idleClose', {}, 60_000);
    const kb = opened.opened > 0 ? ((after - before) * 1024) / opened.opened : NaN;
    log(`idle subscriptions (${sharedSocket ? 'one socket' : 'own sockets'}): ${opened.opened} open, RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB, ${kb.toFixed(1)} KB each`);
    return { subscriptions: opened.opened, rss_before_mb: round(before, 1)!, rss_after_mb: round(after, 1)!, kb_per_subscription: round(kb, 1)!, errors: opened.errors };
  };
  const own = await measure(plan.idle.ownSockets, false);
  const shared = await measure(plan.idle.sharedSocket, true);
  return {
    figure: 'idle_subscription_memory',
    surface: 'graphql-ws',
    store,
    available: true,
    ...(own ? { own_socket: own } : {}),
    ...(shared ? { shared_socket: shared } : {}),
  };
}

function bestSurface(surfaces: readonly SurfaceInfo[], streamingOnly: boolean): SurfaceName | undefined {
  return SURFACE_ORDER_FOR_SPECIALS.find((name) => surfaces.some((s) => s.name === name && (!streamingOnly || s.streaming)));
}

/**
 * For the two-replica row: a throwaway redis-server and replica B on the same
 * database; replica A (measured) is started by the caller with `env`.
 */
async function startReplicaPeer(databaseUrl: string, upstreamUrl: string, runtime: ServiceRuntime) {
  if (!redisServerInstalled()) throw new StoreUnavailable('redis-server is not installed (apt-get install redis-server)');
  const redis = await startThrowawayRedis();
  const env = { REDIS_URL: redis.url };
  try {
    // B starts first: it migrates the database, so A's start is a plain start.
    const peer = await startService({ runtime, databaseUrl, upstreamUrl, logLevel: flags['log-level'], extraEnv: env });
    return {
      peer,
      env,
      stop: async () => {
        await peer.stop();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

async function withStore(store: Store, run: (databaseUrl: string, description: string) => Promise<void>): Promise<string> {
  if (store === 'sqlite') {
    const dir = tempDir('chatservice-bench-sqlite-');
    try {
      const description = 'SQLite (better-sqlite3, WAL) in a temp file';
      await run(join(dir.path, 'bench.db'), description);
      return description;
    } finally {
      dir.remove();
    }
  }
  log('provisioning MySQL');
  const mysql = await provisionMysql();
  if ('unavailable' in mysql) throw new StoreUnavailable(mysql.unavailable);
  try {
    const description = `MySQL-compatible server: ${mysql.source}`;
    await run(mysql.url, description);
    return description;
  } finally {
    await mysql.stop();
  }
}

class StoreUnavailable extends Error {}

async function main(): Promise<void> {
  installCleanup();
  if (flags['readme-only']) {
    // Rewrites the README section from an existing results file, measuring nothing.
    const entries = JSON.parse(readFileSync(resolve(ROOT, flags.out), 'utf8')) as Entry[];
    writeReadmeSection(renderMarkdown(entries));
    return log(`wrote the README section from ${flags.out}`);
  }
  const stores = flags.stores?.split(',').map((s) => s.trim()) as Store[] | undefined;
  const surfaces = flags.surfaces?.split(',').map((s) => s.trim()) as SurfaceName[] | undefined;
  for (const name of surfaces ?? []) surfaceInfo(name);
  const levels = flags['streams-levels'] === 'none' ? [] : flags['streams-levels']?.split(',').map((x) => Number(x.trim()));
  if (levels?.some((x) => !Number.isSafeInteger(x) || x <= 0)) throw new Error('--streams-levels takes positive whole numbers, e.g. 250,500,1000 (or none)');
  const plan = makePlan({ quick: flags.quick, stores, surfaces, peer: !flags['no-peer'] && !flags.profile, floors: !flags['no-floor'] && !flags.profile, streamsLevels: levels });
  const runtime = await prepareService(log, { buildWhenStale: !plan.quick });
  const loadBefore = loadavg();

  const [upstream, loadgen] = await Promise.all([startUpstream(), startLoadgen()]);
  const h: Harness = { upstream: upstream.child, upstreamUrl: upstream.url, loadgen: loadgen.rpc, loadgenPid: loadgen.pid, floor: undefined, mode: undefined };
  const baseTarget: Target = { token: BENCH_TOKEN, upstreamUrl: upstream.url, model: defaults.chat.model, systemPrompt: defaults.chat.systemPrompt };
  log(`upstream ${upstream.url}, load generator pid ${loadgen.pid}, service runtime: ${runtime.kind}`);

  if (flags.profile) return profile(h, plan, runtime, baseTarget);

  const notes: string[] = [];
  if (plan.floors) {
    try {
      h.floor = await startFloor(upstream.url, baseTarget);
      log(`floor ready (pid ${h.floor.pid}, ${h.floor.httpUrl}, gRPC ${h.floor.grpcAddress})`);
    } catch (error) {
      log(`the floor did not start: ${(error as Error).message}`);
      notes.push(`The floor did not start (${(error as Error).message}): no ratios to it in this run.`);
    }
  }
  const target: Target = { ...baseTarget, floorHttpUrl: h.floor?.httpUrl, floorGrpcAddress: h.floor?.grpcAddress };

  const peer: Peer = plan.peer ? await startPeer(log) : { unavailable: 'skipped (--no-peer)' };
  const peerTarget: Target = { ...target, peerUrl: 'url' in peer ? peer.url : undefined };
  const figures: Figure[] = [];
  const rows: Row[] = [];
  if ('url' in peer) {
    const probe = await h.loadgen.call<{ ok: boolean; error?: string }>('probe', { surface: 'peer-portkey', target: peerTarget, timeoutMs: 10_000 }, 30_000);
    if (!probe.ok) {
      await peer.stop();
      figures.push({ figure: 'peer', name: '@portkey-ai/gateway', version: peer.version, available: false, note: `started on Node ${process.version} but a proxied turn failed: ${probe.error}` });
    } else {
      figures.push({ figure: 'peer', name: '@portkey-ai/gateway', version: peer.version, available: true, note: `started locally on Node ${process.version} (headless), provider openai, custom host = the fake upstream; streaming proxied` });
    }
  } else {
    figures.push({ figure: 'peer', name: '@portkey-ai/gateway', version: null, available: false, note: peer.unavailable });
  }
  const peerUsable = figures.some((f) => f.figure === 'peer' && f.available);

  const baselines = new Map<string, CellResult>();
  await measureBaselines(h, plan, peerTarget, peerUsable ? peer : { unavailable: 'not usable' }, baselines, rows);
  if ('stop' in peer) await peer.stop();

  const storeDescriptions: Record<string, string> = {};
  for (const store of plan.stores) {
    try {
      const described = await withStore(store, async (databaseUrl, description) => {
        storeDescriptions[store] = description;
        log(`starting the service on ${store}`);
        const replicated = store === 'mysql-2-replicas' ? await startReplicaPeer(databaseUrl, upstream.url, runtime) : undefined;
        if (replicated) storeDescriptions[store] = `${description}; redis-server; replica B (pid ${replicated.peer.pid}) serving beside the measured replica A`;
        const service = await startService({ runtime, databaseUrl, upstreamUrl: upstream.url, logLevel: flags['log-level'], extraEnv: replicated?.env });
        log(`service ready (pid ${service.pid}, gRPC ${service.grpcListening ? 'listening' : 'not listening'})`);
        try {
          const storeTarget: Target = { ...target, httpUrl: service.httpUrl, grpcAddress: service.grpcAddress };
          const surfacePlan: Plan = replicated ? { ...plan, surfaces: plan.surfaces?.filter((s) => (REPLICA_SURFACES as readonly string[]).includes(s)) ?? [...REPLICA_SURFACES] } : plan;
          const { ok, rows: unavailable } = await probeSurfaces(h, surfacePlan, service, storeTarget, store);
          rows.push(...unavailable);
          // The floors are measured once, beside the first store's rows; later stores' rows are read against them.
          const first = store === plan.stores[0];
          const floors = first ? await probeFloors(h, plan, storeTarget, ok) : [];
          // First, while the service's heap is still small: its RSS growth then shows what subscriptions cost.
          if (first) figures.push(await idleFigure(h, plan, store, service, storeTarget, ok.some((s) => s.name === 'graphql-ws')));
          await measureSurfaces(h, plan, store, service, storeTarget, ok, floors, baselines, rows);
          const historySurface = replicated ? undefined : bestSurface(ok, false);
          if (historySurface && (store === 'sqlite' || !plan.quick)) {
            figures.push(...(await historyFigures(h, plan, store, service, storeTarget, historySurface)));
          }
          if (first) {
            const streaming = plan.streams.levels.length === 0 ? [] : plan.streams.surfaces.filter((name) => ok.some((s) => s.name === name && s.streaming));
            if (streaming.length === 0) notes.push(plan.streams.levels.length === 0 ? 'Concurrent streams without a stall: not measured (--streams-levels=none).' : 'Concurrent streams without a stall: not measured on the service — none of its surfaces is available in this run.');
            for (const surface of streaming) {
              // Each service surface, then (full run) its floor: what a bare pass-through sustains on the same harness.
              figures.push(await stallSearch(h, plan, store, { service: service.pid }, storeTarget, surface));
              const floor = floors.find((f) => f.name === surfaceInfo(surface).floor);
              if (plan.streams.ceilings && floor && h.floor) figures.push(await stallSearch(h, plan, '-', { floor: h.floor.pid }, storeTarget, floor.name));
            }
            // A floor named in --surfaces is searched in any run (e.g. to check the harness alone: --surfaces=floor-grpc,floor-ws).
            const named = plan.streams.levels.length === 0 ? [] : floors.filter((f) => plan.surfaces?.includes(f.name) && !(plan.streams.ceilings && streaming.some((s) => surfaceInfo(s).floor === f.name)));
            for (const floor of named) {
              figures.push(await stallSearch(h, plan, '-', { floor: h.floor!.pid }, storeTarget, floor.name));
            }
            // The direct call too (full run): the ceiling of this machine and harness without any server between.
            if (plan.streams.ceilings && streaming.length > 0) figures.push(await stallSearch(h, plan, '-', {}, storeTarget, 'direct'));
          }
        } finally {
          await service.stop();
          await replicated?.stop();
        }
      });
      storeDescriptions[store] ??= described;
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      log(`${store}: not available (${error.message})`);
      storeDescriptions[store] = `not available: ${error.message}`;
      for (const info of SURFACES.filter((s) => s.kind === 'service')) rows.push(unavailableRow(info.name, store, `store ${store} not available: ${error.message}`));
    }
  }

  if (runtime.note) notes.push(runtime.note);
  if (loadBefore[0]! > 0.5) {
    notes.push(`The machine was not idle: load average ${loadBefore.map((x) => x.toFixed(1)).join(' ')} when the run started (other processes compete for the 2 cores; figures are pessimistic).`);
  }
  notes.push(`Service log level: ${flags['log-level']} (to a file); NODE_ENV=production; each chat takes ${plan.turnsPerChat} turns, then the client starts a new one.`);
  const run: Figure = {
    figure: 'run',
    date: new Date().toISOString(),
    command: `npm run bench${plan.quick ? ' -- --quick' : ''}`,
    quick: plan.quick,
    machine: machine(),
    duration_s: Math.round((Date.now() - startedAt) / 1000),
    service_runtime: runtime.kind === 'dist' ? 'node dist/src/main.js' : 'tsx src/main.ts',
    stores: storeDescriptions,
    load_average: { before: loadBefore.map((x) => round(x)!), after: loadavg().map((x) => round(x)!) },
    upstream_modes: {
      zero: `the whole reply (${UPSTREAM_MODES.zero.deltas.length} deltas) at once`,
      paced: `first token after ${UPSTREAM_MODES.paced.firstChunkDelayMs} ms, then ${UPSTREAM_MODES.paced.deltas.length} deltas in all, ${UPSTREAM_MODES.paced.chunkDelayMs} ms apart`,
      paced20: `first token after ${UPSTREAM_MODES.paced20.firstChunkDelayMs} ms, then ${UPSTREAM_MODES.paced20.deltas.length} deltas in all, ${UPSTREAM_MODES.paced20.chunkDelayMs} ms apart (a real model's pace)`,
    },
    notes,
  };
  const entries: Entry[] = [...withFloorRatios(rows, (surface) => surfaceInfo(surface).floor), run, ...figures];
  entries.push({ figure: 'targets', checks: checkTargets(entries) });
  const outPath = resolve(ROOT, flags.out);
  mkdirSync(join(outPath, '..'), { recursive: true });
  writeFileSync(outPath, `${JSON.stringify(entries, null, 2)}\n`);
  log(`wrote ${relative(ROOT, outPath)}`);
  if (!flags['no-readme']) {
    writeReadmeSection(renderMarkdown(entries));
    log('wrote the README section');
  }
  for (const check of checkTargets(entries)) log(`target: ${check.target} — ${check.measured} — ${check.met === null ? 'n/a' : check.met ? 'met' : 'MISSED'}`);
}

/** `--profile`: one service process per surface, CPU-profiled under zero-delay load, summarized. */
async function profile(h: Harness, plan: Plan, runtime: ServiceRuntime, target: Target): Promise<void> {
  const seconds = Number(flags['profile-seconds']);
  const concurrency = Number(flags['profile-concurrency']);
  const mode = flags['profile-mode'] as Mode;
  if (mode !== 'zero' && mode !== 'paced') throw new Error('--profile-mode must be zero or paced');
  const dir = join(ROOT, 'bench/results');
  const wanted = SURFACES.filter((s) => s.kind === 'service' && (plan.surfaces === undefined || plan.surfaces.includes(s.name)));
  const summaries: string[] = [];
  for (const info of wanted) {
    const tmp = tempDir('chatservice-bench-profile-');
    const name = `profile-${info.name}-${mode}.cpuprofile`;
    const service = await startService({ runtime, databaseUrl: join(tmp.path, 'bench.db'), upstreamUrl: h.upstreamUrl, logLevel: flags['log-level'], cpuProfile: { dir, name } });
    let result: CellResult | undefined;
    try {
      const storeTarget: Target = { ...target, httpUrl: service.httpUrl, grpcAddress: service.grpcAddress };
      const { ok } = await probeSurfaces(h, { ...plan, surfaces: [info.name] }, service, storeTarget, 'sqlite');
      if (ok.length === 0) {
        summaries.push(`## ${info.name}\n\nnot available\n`);
        continue;
      }
      await setMode(h, mode);
      result = await runCell(h, cellSpec(plan, mode, info.name, storeTarget, { kind: 'closed', concurrency }, { service: service.pid }, { warmupMs: 1_000, durationMs: seconds * 1000, minTurns: 0, maxDurationMs: seconds * 1000 }));
      log(`profile ${info.name}: ${describeCell(result)}`);
    } finally {
      await service.stop();
      tmp.remove();
    }
    const text = summarizeProfile(join(dir, name), 30, result?.windowMonotonicUs);
    const cpu = result?.cpuMs.service;
    const perTurn = cpu != null && result && result.completed > 0 ? `, service CPU ${(cpu / result.completed).toFixed(2)} ms/turn` : '';
    summaries.push(`## ${info.name} — ${mode} upstream, closed loop c=${concurrency}, ${seconds} s: ${result ? describeCell(result) : ''}${perTurn}\n\n${text}`);
  }
  const out = join(dir, `profile-${mode}.md`);
  writeFileSync(out, `# CPU profiles of the service (\`npm run bench -- --profile\`)\n\n${summaries.join('\n')}`);
  log(`wrote bench/results/profile-${mode}.md (raw profiles: bench/results/profile-*.cpuprofile, open them in Chrome DevTools)`);
}

main()
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
    log('all processes stopped');
    // Handles of the IPC channels may keep the loop alive a moment; nothing is left to wait for.
    process.exit();
  });

