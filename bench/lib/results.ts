import type { CellResult } from '../load/cell.js';
import type { SurfaceName } from '../surfaces/index.js';
import type { Machine } from './proc-stats.js';
import type { Mode, Store } from './plan.js';
import { round } from './stats.js';

/** One measurement: a surface, a store, an upstream mode and a load. Times in ms, from the client side. */
export interface Row {
  readonly surface: SurfaceName;
  /** '-' for the direct baseline and the peer, which store nothing. */
  readonly store: Store | '-';
  readonly mode: Mode | null;
  /** Closed-loop clients; null for open-loop rows and rows of surfaces that are not available. */
  readonly concurrency: number | null;
  readonly load: 'closed' | 'open' | null;
  readonly offered_per_s?: number;
  readonly ttft_p50_ms: number | null;
  readonly ttft_p99_ms: number | null;
  /** This row minus the direct baseline at the same mode and load, measured in the same run. */
  readonly added_ttft_p50_ms: number | null;
  readonly added_ttft_p99_ms: number | null;
  readonly turn_p50_ms: number | null;
  readonly turn_p99_ms: number | null;
  readonly added_turn_p50_ms: number | null;
  readonly added_turn_p99_ms: number | null;
  readonly turns_per_s: number | null;
  readonly errors: number | null;
  /** CPU time of the process under test (the service, the floor or the peer) per completed turn. */
  readonly cpu_ms_per_turn: number | null;
  /** Service rows: the floor surface with the same wire protocol, measured at the same mode and load in the same run. */
  readonly floor?: SurfaceName;
  /** cpu_ms_per_turn / the floor's (how many times a bare pass-through's CPU a turn costs). */
  readonly cpu_vs_floor?: number | null;
  /** turns_per_s / the floor's. */
  readonly turns_per_s_vs_floor?: number | null;
  /** Peak RSS of the process under test during the cell. */
  readonly rss_mb: number | null;
  readonly max_gap_ms: number | null;
  readonly samples: number | null;
  readonly mean_in_flight?: number;
  readonly loadgen_cpu_ms_per_turn: number | null;
  readonly error_samples?: readonly string[];
  readonly available: boolean;
  readonly note?: string;
}

export function rowOf(
  surface: SurfaceName,
  store: Store | '-',
  mode: Mode,
  result: CellResult,
  baseline: CellResult | undefined,
  load: { kind: 'closed'; concurrency: number } | { kind: 'open'; ratePerS: number },
  /** Which watched process the row's CPU and RSS are of. */
  measured: 'service' | 'peer' | 'floor' | undefined,
): Row {
  const sub = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? null : round(a - b));
  const cpu = measured === undefined ? null : result.cpuMs[measured];
  const perTurn = (value: number | null | undefined) => (value === null || value === undefined || result.completed === 0 ? null : round(value / result.completed, 3));
  return {
    surface,
    store,
    mode,
    concurrency: load.kind === 'closed' ? load.concurrency : null,
    load: load.kind,
    ...(load.kind === 'open' ? { offered_per_s: load.ratePerS } : {}),
    ttft_p50_ms: round(result.ttft.p50),
    ttft_p99_ms: round(result.ttft.p99),
    added_ttft_p50_ms: surface === 'direct' ? null : sub(result.ttft.p50, baseline?.ttft.p50),
    added_ttft_p99_ms: surface === 'direct' ? null : sub(result.ttft.p99, baseline?.ttft.p99),
    turn_p50_ms: round(result.turn.p50),
    turn_p99_ms: round(result.turn.p99),
    added_turn_p50_ms: surface === 'direct' ? null : sub(result.turn.p50, baseline?.turn.p50),
    added_turn_p99_ms: surface === 'direct' ? null : sub(result.turn.p99, baseline?.turn.p99),
    turns_per_s: round(result.turnsPerS, 1),
    errors: result.errors,
    cpu_ms_per_turn: perTurn(cpu),
    rss_mb: measured === undefined ? null : round(result.rssPeakMb[measured], 1),
    max_gap_ms: round(result.maxGapMs),
    samples: result.completed,
    ...(result.meanInFlight === undefined ? {} : { mean_in_flight: round(result.meanInFlight, 1)! }),
    loadgen_cpu_ms_per_turn: perTurn(result.loadgen.cpuMs),
    ...(result.errorSamples.length > 0 ? { error_samples: result.errorSamples } : {}),
    available: true,
  };
}

/**
 * Each service row with its floor's figures beside it: the floor row of the
 * same mode and load (closed: same concurrency; open: same offered rate).
 */
export function withFloorRatios(rows: readonly Row[], floorOf: (surface: SurfaceName) => SurfaceName | undefined): Row[] {
  const floors = rows.filter((r) => r.available && r.store === '-' && (r.surface === 'floor-grpc' || r.surface === 'floor-ws'));
  const ratio = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined || b === 0 ? null : round(a / b, 2));
  return rows.map((row) => {
    const name = row.available ? floorOf(row.surface) : undefined;
    if (name === undefined) return row;
    const floor = floors.find(
      (f) => f.surface === name && f.mode === row.mode && f.load === row.load && f.concurrency === row.concurrency && f.offered_per_s === row.offered_per_s,
    );
    if (!floor) return row;
    return { ...row, floor: name, cpu_vs_floor: ratio(row.cpu_ms_per_turn, floor.cpu_ms_per_turn), turns_per_s_vs_floor: ratio(row.turns_per_s, floor.turns_per_s) };
  });
}

export function unavailableRow(surface: SurfaceName, store: Store | '-', note: string): Row {
  return {
    surface,
    store,
    mode: null,
    concurrency: null,
    load: null,
    ttft_p50_ms: null,
    ttft_p99_ms: null,
    added_ttft_p50_ms: null,
    added_ttft_p99_ms: null,
    turn_p50_ms: null,
    turn_p99_ms: null,
    added_turn_p50_ms: null,
    added_turn_p99_ms: null,
    turns_per_s: null,
    errors: null,
    cpu_ms_per_turn: null,
    rss_mb: null,
    max_gap_ms: null,
    samples: null,
    loadgen_cpu_ms_per_turn: null,
    available: false,
    note: `not available: ${note}`,
  };
}

/** Special figures: entries of the same JSON array, told apart from rows by `figure`. */
export interface RunFigure {
  readonly figure: 'run';
  readonly date: string;
  readonly command: string;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly duration_s: number;
  readonly service_runtime: string;
  readonly stores: Readonly<Record<string, string>>;
  /** 1, 5 and 15-minute load averages at the start and the end: other work on the machine skews every figure. */
  readonly load_average: { readonly before: readonly number[]; readonly after: readonly number[] };
  readonly upstream_modes: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

export interface HistoryFigure {
  readonly figure: 'history_1000_vs_10_messages';
  readonly surface: SurfaceName;
  readonly store: Store;
  readonly mode: Mode;
  readonly small_chat_messages: string;
  readonly big_chat_messages: string;
  readonly small: { readonly ttft_p50_ms: number | null; readonly turn_p50_ms: number | null; readonly turn_p99_ms: number | null; readonly cpu_ms_per_turn: number | null };
  readonly big: { readonly ttft_p50_ms: number | null; readonly turn_p50_ms: number | null; readonly turn_p99_ms: number | null; readonly cpu_ms_per_turn: number | null };
  /** big / small, turn p50 (the target: at most 1.2). */
  readonly turn_p50_ratio: number | null;
  readonly ttft_p50_ratio: number | null;
  /** big / small, the service's CPU per turn. */
  readonly cpu_ratio: number | null;
}

export interface StallLevel {
  readonly streams: number;
  readonly passed: boolean;
  /** Why it failed: stalled turns, errors, or no completed turn. */
  readonly verdict?: string;
  readonly turns: number;
  readonly errors: number;
  readonly stalled_turns: number;
  readonly max_gap_ms: number | null;
  readonly ttft_p50_ms: number | null;
  readonly ttft_p99_ms: number | null;
  readonly cpu_ms: Readonly<Record<string, number | null>>;
  readonly window_ms: number;
  readonly loadgen_loop_delay_max_ms: number;
  readonly error_samples?: readonly string[];
}

export interface StallFigure {
  readonly figure: 'max_paced_streams_without_stall';
  readonly surface: SurfaceName;
  /** '-' for the direct call and the floors: what this machine and harness sustain without the service. */
  readonly store: Store | '-';
  /** The upstream mode and its pace (ms between deltas). */
  readonly mode: Mode;
  readonly pace_ms: number;
  /** A stall: a gap between two pieces of text over 10x the pacing (each level also reports its TTFT). */
  readonly gap_limit_ms: number;
  /** The largest level at which every stream passed; 0 when the first level failed. */
  readonly max_streams: number;
  /** The smallest level that failed; null when every level tried passed (the search stopped at its bound). */
  readonly first_failed_streams: number | null;
  readonly levels: readonly StallLevel[];
}

export interface IdleFigure {
  readonly figure: 'idle_subscription_memory';
  readonly surface: 'graphql-ws';
  readonly store: Store;
  readonly available: boolean;
  readonly note?: string;
  /** Each subscription on its own socket (a browser tab each). */
  readonly own_socket?: { readonly subscriptions: number; readonly rss_before_mb: number; readonly rss_after_mb: number; readonly kb_per_subscription: number; readonly errors: readonly string[] };
  /** All subscriptions multiplexed on one socket. */
  readonly shared_socket?: { readonly subscriptions: number; readonly rss_before_mb: number; readonly rss_after_mb: number; readonly kb_per_subscription: number; readonly errors: readonly string[] };
}

export interface PeerFigure {
  readonly figure: 'peer';
  readonly name: '@portkey-ai/gateway';
  readonly version: string | null;
  readonly available: boolean;
  readonly note: string;
}

export interface TargetCheck {
  readonly target: string;
  readonly goal: string;
  readonly measured: string;
  /** null: not measured in this run. */
  readonly met: boolean | null;
}

export interface TargetsFigure {
  readonly figure: 'targets';
  readonly checks: readonly TargetCheck[];
}

export type Figure = RunFigure | HistoryFigure | StallFigure | IdleFigure | PeerFigure | TargetsFigure;
export type Entry = Row | Figure;
