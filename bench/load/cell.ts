import type { Summary } from '../lib/stats.js';
import type { SurfaceName } from '../surfaces/index.js';
import type { Target } from '../surfaces/surface.js';

/** Closed loop: `concurrency` clients, each starting its next turn when the last one ends. */
export interface ClosedLoad {
  readonly kind: 'closed';
  readonly concurrency: number;
  /** Spread the clients' first turns over this long (steady state instead of a thundering herd). */
  readonly rampMs?: number;
}

/** Open loop: turns arrive at a constant rate whatever the service does (latency counts from the due time). */
export interface OpenLoad {
  readonly kind: 'open';
  readonly ratePerS: number;
  /** Arrivals beyond this many turns in flight are dropped and counted as errors (bounds the client). */
  readonly maxInFlight: number;
}

/** One measurement: one surface, one load, one upstream mode (set by the orchestrator beforehand). */
export interface CellSpec {
  readonly surface: SurfaceName;
  readonly target: Target;
  readonly load: ClosedLoad | OpenLoad;
  /** Turns ending (closed) or due (open) before warmup ends are not recorded. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Keep measuring past durationMs until this many turns are recorded, up to maxDurationMs. */
  readonly minTurns: number;
  readonly maxDurationMs: number;
  readonly turnTimeoutMs: number;
  /** A chat takes this many turns, then the client starts a new one (bounded history). */
  readonly turnsPerChat: number;
  /** Closed loop only: client i takes its turns in the chats of chats[i], in turn (no new chats). */
  readonly chats?: readonly (readonly { readonly userId: string; readonly chatId: string }[])[];
  readonly userPrefix: string;
  readonly text: string;
  /** Processes whose CPU time and peak RSS the cell reports. */
  readonly watch: Readonly<Record<string, number>>;
  /** A turn stalls when a gap between two pieces of text is over `gapMs` (or, when given, its wait for the first one over `ttftMs`). */
  readonly stallLimits?: { readonly gapMs: number; readonly ttftMs?: number };
  /** Closed loop only: each client takes exactly this many turns (the first not recorded) and the window is the whole cell. */
  readonly turnsPerClient?: number;
}

export interface CellResult {
  readonly completed: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** Length of the measured window. */
  readonly windowMs: number;
  /** The window on the monotonic clock (µs, as V8 CPU profiles count time), to cut a profile to it. */
  readonly windowMonotonicUs: { readonly start: number; readonly end: number };
  readonly turnsPerS: number;
  readonly ttft: Summary;
  readonly turn: Summary;
  /** Largest gap between two pieces of text in any recorded turn. */
  readonly maxGapMs: number | null;
  /** Turns over `stallLimits`. */
  readonly stalledTurns: number;
  /** CPU time (ms) of each watched process during the window. */
  readonly cpuMs: Readonly<Record<string, number | null>>;
  /** Peak RSS (MB) of each watched process during the cell. */
  readonly rssPeakMb: Readonly<Record<string, number | null>>;
  /** The load generator's own CPU and event-loop delay: when high, client-side figures include its queueing. */
  readonly loadgen: { readonly cpuMs: number; readonly loopDelayP99Ms: number; readonly loopDelayMaxMs: number };
  /** Open loop: mean turns in flight (Little's law check). */
  readonly meanInFlight?: number;
}
