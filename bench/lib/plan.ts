import type { SurfaceName } from '../surfaces/index.js';

/** `mysql-2-replicas`: two service processes on one MySQL and one Redis, measured through the first. */
export type Store = 'sqlite' | 'mysql' | 'mysql-2-replicas';

/** The surfaces measured on two replicas: one per protocol family, beside their single-process rows. */
export const REPLICA_SURFACES = ['grpc-v1', 'graphql-ws'] as const;
/** zero: the whole reply at once; paced: a delta every 5 ms; paced20: a delta every 20 ms (bench/upstream/modes.ts). */
export type Mode = 'zero' | 'paced' | 'paced20';

export interface CellTiming {
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly minTurns: number;
  readonly maxDurationMs: number;
}

/** What one run measures; `--quick` is a small subset that stays well under CI's 180 s. */
export interface Plan {
  readonly quick: boolean;
  readonly stores: readonly Store[];
  /** The modes of the regular cells, in order. */
  readonly modes: readonly Mode[];
  /** Closed-loop clients per mode. */
  readonly concurrencies: Readonly<Record<Mode, readonly number[]>>;
  readonly timing: Readonly<Record<Mode, CellTiming>>;
  /** Open-loop (constant arrival) cells: turns per second offered, per mode. */
  readonly openRates: Readonly<Record<Mode, readonly number[]>>;
  readonly turnTimeoutMs: number;
  readonly turnsPerChat: number;
  /** Measure the floors (the minimal pass-through) beside the service, at every mode and load of the first store. */
  readonly floors: boolean;
  readonly history: {
    readonly bigChats: number;
    /** 500 turns: the system prompt plus 1,000 messages. */
    readonly bigTurns: number;
    readonly smallChats: number;
    /** 5 turns: the system prompt plus 10 messages. */
    readonly smallTurns: number;
    /** Recorded turns per measurement (small, big, small again), per mode. */
    readonly measureTurns: Readonly<Partial<Record<Mode, number>>>;
    readonly modes: readonly Mode[];
  };
  /** Many concurrent streams at one pace: the most that run with no gap over `gapFactor` x the pacing. */
  readonly streams: {
    readonly mode: Mode;
    readonly gapFactor: number;
    readonly levels: readonly number[];
    readonly bisectSteps: number;
    /** Stop escalating once this much time went into the search (per surface). */
    readonly budgetMs: number;
    readonly turnTimeoutMs: number;
    /** Service surfaces searched, when available; the floors and the direct call too when `ceilings`. */
    readonly surfaces: readonly SurfaceName[];
    readonly ceilings: boolean;
  };
  readonly idle: { readonly ownSockets: number; readonly sharedSocket: number; readonly settleMs: number };
  readonly peer: boolean;
  readonly surfaces: readonly SurfaceName[] | undefined;
}

export function makePlan(options: {
  quick: boolean;
  stores?: readonly Store[];
  surfaces?: readonly SurfaceName[];
  peer: boolean;
  floors: boolean;
  /** Replaces the plan's levels of the many-streams search. */
  streamsLevels?: readonly number[] | undefined;
}): Plan {
  const plan = basePlan(options);
  return options.streamsLevels ? { ...plan, streams: { ...plan.streams, levels: options.streamsLevels } } : plan;
}

function basePlan(options: { quick: boolean; stores?: readonly Store[]; surfaces?: readonly SurfaceName[]; peer: boolean; floors: boolean }): Plan {
  if (options.quick) {
    return {
      quick: true,
      stores: options.stores ?? ['sqlite'],
      modes: ['paced', 'zero'],
      // 64: the load of the targets (paced TTFT, zero-delay CPU and throughput against the floor).
      concurrencies: { paced: [1, 64], zero: [1, 64], paced20: [] },
      timing: {
        // Long enough for each of 64 clients to take several turns: a shorter window catches one synchronized wave.
        zero: { warmupMs: 150, durationMs: 1_000, minTurns: 20, maxDurationMs: 2_000 },
        // A closed loop's window also waits until every client has finished its first turn (bench/load/loops.ts).
        paced: { warmupMs: 400, durationMs: 600, minTurns: 2, maxDurationMs: 2_500 },
        paced20: { warmupMs: 1_400, durationMs: 1_400, minTurns: 2, maxDurationMs: 3_000 },
      },
      openRates: { zero: [], paced: [], paced20: [] },
      turnTimeoutMs: 10_000,
      turnsPerChat: 10,
      floors: options.floors,
      history: { bigChats: 1, bigTurns: 500, smallChats: 5, smallTurns: 5, measureTurns: { zero: 20, paced: 6 }, modes: ['zero', 'paced'] },
      // One level: the 1,000 streams at the 20 ms pace, on the two surfaces it names.
      // A reply takes ~1.3 s: a turn still running after 4 s has stalled by any measure, and the cell stays short.
      streams: { mode: 'paced20', gapFactor: 10, levels: [1_000], bisectSteps: 0, budgetMs: 0, turnTimeoutMs: 4_000, surfaces: ['grpc-v1', 'graphql-ws'], ceilings: false },
      idle: { ownSockets: 1_000, sharedSocket: 0, settleMs: 600 },
      peer: options.peer,
      surfaces: options.surfaces,
    };
  }
  return {
    quick: false,
    stores: options.stores ?? ['sqlite', 'mysql', 'mysql-2-replicas'],
    modes: ['paced', 'paced20', 'zero'],
    concurrencies: { paced: [1, 16, 64, 256], paced20: [64, 256], zero: [1, 16, 64, 256] },
    timing: {
      zero: { warmupMs: 1_000, durationMs: 3_000, minTurns: 200, maxDurationMs: 10_000 },
      paced: { warmupMs: 700, durationMs: 3_000, minTurns: 20, maxDurationMs: 10_000 },
      // A reply takes ~1.3 s: the warmup lets every client finish its first (unrecorded) turn.
      paced20: { warmupMs: 1_500, durationMs: 2_500, minTurns: 20, maxDurationMs: 8_000 },
    },
    // A steady load every surface can carry on this machine: ~14 paced streams in flight, 100 short turns/s.
    openRates: { zero: [100], paced: [40], paced20: [] },
    turnTimeoutMs: 30_000,
    turnsPerChat: 10,
    floors: options.floors,
    history: { bigChats: 2, bigTurns: 500, smallChats: 10, smallTurns: 5, measureTurns: { zero: 30, paced: 30 }, modes: ['zero', 'paced'] },
    streams: {
      mode: 'paced20',
      gapFactor: 10,
      levels: [250, 500, 1_000, 2_000, 4_000],
      bisectSteps: 1,
      budgetMs: 45_000,
      turnTimeoutMs: 20_000,
      surfaces: ['grpc-v1', 'graphql-ws'],
      ceilings: true,
    },
    idle: { ownSockets: 4_000, sharedSocket: 4_000, settleMs: 2_000 },
    peer: options.peer,
    surfaces: options.surfaces,
  };
}
