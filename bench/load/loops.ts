import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { cpuMs, RssSampler } from '../lib/proc-stats.js';
import { summarize } from '../lib/stats.js';
import type { SurfaceClient, TurnResult } from '../surfaces/surface.js';
import type { CellResult, CellSpec, ClosedLoad, OpenLoad } from './cell.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** After a failed turn a client waits this long, so a dead service is not hammered in a hot loop. */
const ERROR_BACKOFF_MS = 20;
const MAX_ERROR_SAMPLES = 5;
/** CLOCK_MONOTONIC in µs: the clock of V8's CPU profile timestamps on Linux. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Runs one turn with its own deadline: the turn's signal aborts, and the promise settles by then whatever the surface does. */
function timedTurn(client: SurfaceClient, userId: string, chatId: string | undefined, spec: CellSpec, startedAt: number): Promise<TurnResult> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`turn timed out after ${spec.turnTimeoutMs} ms`));
    }, spec.turnTimeoutMs);
  });
  return Promise.race([client.turn({ userId, chatId, text: spec.text, startedAt, signal: abort.signal }), deadline]).finally(() =>
    clearTimeout(timer),
  );
}

/** What one cell saw, and the window it is measured over. */
class Window {
  readonly ttft: number[] = [];
  readonly turn: number[] = [];
  errors = 0;
  readonly errorSamples: string[] = [];
  maxGap = 0;
  stalled = 0;
  start: number;
  end: number | undefined;
  private cpuStart: Record<string, number | undefined> = {};
  private cpuEnd: Record<string, number | undefined> = {};
  private loadgenCpuStart = process.cpuUsage();
  private loadgenCpu = 0;
  private readonly startTimer: NodeJS.Timeout;
  private readonly stopCheck: NodeJS.Timeout;

  /** Until started, a window records nothing and does not stop (start is +Infinity). */
  private started = false;
  private warmedUp = false;
  private held: boolean;

  /**
   * `hold`: the window also waits for release() — a closed loop releases it
   * once every client has finished its first turn (which opens its
   * connection and is never recorded), so a slow start on a busy machine
   * cannot leave the window without turns.
   */
  constructor(private readonly spec: CellSpec, t0: number, private readonly countForStop: () => number, hold = false) {
    this.held = hold;
    this.start = spec.warmupMs === 0 && !hold ? t0 : Number.POSITIVE_INFINITY;
    this.startTimer = setTimeout(() => {
      this.warmedUp = true;
      this.maybeStart();
    }, spec.warmupMs);
    if (spec.warmupMs === 0) {
      this.warmedUp = true;
      this.maybeStart();
    }
    // Also checked after every turn; this catches windows in which no turn ends.
    this.stopCheck = setInterval(() => this.stopped(), 10);
  }

  /** Lets a held window start (once its warmup is over too). */
  release(): void {
    this.held = false;
    this.maybeStart();
  }

  private maybeStart(): void {
    if (this.started || this.held || !this.warmedUp) return;
    this.started = true;
    this.snapshotStart();
  }

  private monotonicStart = monotonicUs();
  private monotonicEnd = 0;

  private snapshotStart(): void {
    this.start = performance.now();
    this.monotonicStart = monotonicUs();
    for (const [name, pid] of Object.entries(this.spec.watch)) this.cpuStart[name] = cpuMs(pid);
    this.loadgenCpuStart = process.cpuUsage();
  }

  /** True once the window is over; freezes its end the first time. */
  stopped(): boolean {
    if (this.end !== undefined) return true;
    if (this.spec.turnsPerClient !== undefined || !this.started) return false;
    const now = performance.now();
    const elapsed = now - this.start;
    if (elapsed < 0) return false;
    if (elapsed >= this.spec.maxDurationMs || (elapsed >= this.spec.durationMs && this.countForStop() >= this.spec.minTurns)) {
      this.finish();
      return true;
    }
    return false;
  }

  /** Ends the window now (if it has not ended). */
  finish(): void {
    if (this.end !== undefined) return;
    this.end = performance.now();
    this.monotonicEnd = monotonicUs();
    for (const [name, pid] of Object.entries(this.spec.watch)) this.cpuEnd[name] = cpuMs(pid);
    const used = process.cpuUsage(this.loadgenCpuStart);
    this.loadgenCpu = (used.user + used.system) / 1000;
    clearInterval(this.stopCheck);
  }

  inWindow(at: number): boolean {
    return at >= this.start && (this.end === undefined || at <= this.end);
  }

  ok(result: TurnResult): void {
    this.ttft.push(result.ttftMs);
    this.turn.push(result.turnMs);
    if (result.maxGapMs > this.maxGap) this.maxGap = result.maxGapMs;
    const limits = this.spec.stallLimits;
    if (limits && (result.maxGapMs > limits.gapMs || (limits.ttftMs !== undefined && result.ttftMs > limits.ttftMs))) this.stalled += 1;
  }

  fail(error: unknown): void {
    this.errors += 1;
    const message = error instanceof Error ? error.message : String(error);
    if (this.errorSamples.length < MAX_ERROR_SAMPLES && !this.errorSamples.includes(message)) this.errorSamples.push(message);
  }

  dispose(): void {
    clearTimeout(this.startTimer);
    clearInterval(this.stopCheck);
  }

  result(rss: Record<string, number | null>, loop: { p99: number; max: number }, meanInFlight?: number): CellResult {
    const windowMs = (this.end ?? performance.now()) - this.start;
    const cpu: Record<string, number | null> = {};
    for (const name of Object.keys(this.spec.watch)) {
      const a = this.cpuStart[name];
      const b = this.cpuEnd[name];
      cpu[name] = a === undefined || b === undefined ? null : b - a;
    }
    return {
      completed: this.turn.length,
      errors: this.errors,
      errorSamples: this.errorSamples,
      windowMs,
      windowMonotonicUs: { start: this.monotonicStart, end: this.monotonicEnd },
      turnsPerS: windowMs > 0 ? (this.turn.length * 1000) / windowMs : 0,
      ttft: summarize(this.ttft),
      turn: summarize(this.turn),
      maxGapMs: this.turn.length > 0 ? this.maxGap : null,
      stalledTurns: this.stalled,
      cpuMs: cpu,
      rssPeakMb: rss,
      loadgen: { cpuMs: this.loadgenCpu, loopDelayP99Ms: loop.p99, loopDelayMaxMs: loop.max },
      ...(meanInFlight === undefined ? {} : { meanInFlight }),
    };
  }
}

/** Runs one cell against a connected client: warmup, measured window, then waits for what is in flight. */
export async function runCell(client: SurfaceClient, spec: CellSpec): Promise<CellResult> {
  const samplers = Object.fromEntries(Object.entries(spec.watch).map(([name, pid]) => [name, new RssSampler(pid)]));
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let meanInFlight: number | undefined;
  let window: Window;
  try {
    if (spec.load.kind === 'closed') window = await closedLoop(client, spec, spec.load);
    else ({ window, meanInFlight } = await openLoop(client, spec, spec.load));
  } finally {
    loopDelay.disable();
  }
  const rss: Record<string, number | null> = {};
  for (const [name, sampler] of Object.entries(samplers)) rss[name] = sampler.stop() || null;
  window.dispose();
  return window.result(rss, { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }, meanInFlight);
}

async function closedLoop(client: SurfaceClient, spec: CellSpec, load: ClosedLoad): Promise<Window> {
  const t0 = performance.now();
  // The window waits for every client's first turn, except when each client takes a fixed number of turns.
  const window: Window = new Window(spec, t0, (): number => window.turn.length, spec.turnsPerClient === undefined);
  let firstTurnsLeft = load.concurrency;
  const firstTurnDone = () => {
    firstTurnsLeft -= 1;
    if (firstTurnsLeft === 0) window.release();
  };
  const worker = async (index: number) => {
    if (load.rampMs) await sleep((index * load.rampMs) / load.concurrency);
    const fixed = spec.chats?.[index];
    const userId = fixed?.[0]?.userId ?? `${spec.userPrefix}-${index}`;
    let chatId: string | undefined;
    let turnsOnChat = 0;
    // A client's first turn opens its connection: never recorded.
    const more = (turn: number) => (spec.turnsPerClient === undefined ? !window.stopped() : turn < spec.turnsPerClient);
    for (let turn = 0; more(turn); turn += 1) {
      if (fixed) chatId = fixed[turn % fixed.length]!.chatId;
      const startedAt = performance.now();
      try {
        const result = await timedTurn(client, userId, chatId, spec, startedAt);
        if (turn === 0) firstTurnDone();
        if (turn > 0 && window.inWindow(performance.now())) window.ok(result);
        if (!fixed) {
          turnsOnChat += 1;
          chatId = turnsOnChat >= spec.turnsPerChat ? undefined : result.chatId;
          if (chatId === undefined) turnsOnChat = 0;
        }
      } catch (error) {
        if (turn === 0) firstTurnDone();
        if (window.inWindow(performance.now())) window.fail(error);
        chatId = undefined;
        turnsOnChat = 0;
        await sleep(ERROR_BACKOFF_MS);
      }
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, (_, i) => worker(i)));
  window.finish();
  return window;
}

interface PooledChat {
  readonly userId: string;
  chatId: string | undefined;
  turns: number;
}

async function openLoop(client: SurfaceClient, spec: CellSpec, load: OpenLoad): Promise<{ window: Window; meanInFlight: number }> {
  const interval = 1000 / load.ratePerS;
  const users = Math.max(1, Math.min(256, load.maxInFlight));
  const free: PooledChat[] = [];
  let created = 0;
  let inFlight = 0;
  let due = 0;
  let dueInWindow = 0;
  let inFlightSum = 0;
  let inFlightSamples = 0;
  const running = new Set<Promise<void>>();
  const t0 = performance.now() + 5;
  const window = new Window(spec, t0, () => dueInWindow);

  const arrive = (dueAt: number) => {
    const counted = window.inWindow(dueAt);
    if (counted) dueInWindow += 1;
    if (inFlight >= load.maxInFlight) {
      if (counted) window.fail(new Error(`dropped: ${load.maxInFlight} turns already in flight`));
      return;
    }
    const chat = free.pop() ?? { userId: `${spec.userPrefix}-${created++ % users}`, chatId: undefined, turns: 0 };
    inFlight += 1;
    const task = timedTurn(client, chat.userId, chat.chatId, spec, dueAt).then(
      (result) => {
        if (counted) window.ok(result);
        chat.turns += 1;
        chat.chatId = chat.turns >= spec.turnsPerChat ? undefined : result.chatId;
        if (chat.chatId === undefined) chat.turns = 0;
      },
      (error: unknown) => {
        if (counted) window.fail(error);
        chat.chatId = undefined;
        chat.turns = 0;
      },
    );
    const tracked = task.finally(() => {
      inFlight -= 1;
      running.delete(tracked);
      free.push(chat);
    });
    running.add(tracked);
  };

  while (!window.stopped()) {
    const now = performance.now();
    while (t0 + due * interval <= now) {
      arrive(t0 + due * interval);
      due += 1;
    }
    if (window.inWindow(now)) {
      inFlightSum += inFlight;
      inFlightSamples += 1;
    }
    await sleep(Math.max(0, Math.min(interval, 1)));
  }
  await Promise.all(running);
  window.finish();
  return { window, meanInFlight: inFlightSamples === 0 ? 0 : inFlightSum / inFlightSamples };
}
