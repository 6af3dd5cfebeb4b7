import type { SurfaceName } from '../surfaces/index.js';

/** `mysql-2-replicas`: two service processes on one MySQL and one Redis, measured through the first. */
export type Store = 'sqlite' | 'mysql' | 'mysql-2-replicas';

/** The surfaces measured on two replicas: one per protocol family, beside their single-process rows. */
export const REPLICA_SURFACES = ['grpc-v1', 'graphql-ws'] as const;
export type Mode = 'zero' | 'paced';

export interface CellTiming {
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly minTurns: number;
  readonly maxDurationMs: number;
}

/** What one run measures; `--quick` is a small subset that stays under a minute. */
export interface Plan {
  readonly quick: boolean;
  readonly stores: readonly Store[];
  readonly modes: readonly Mode[];
  readonly concurrencies: readonly number[];
  readonly timing: Readonly<Record<Mode, CellTiming>>;
  /** Open-loop (constant arrival) cells: turns per second offered, per mode. */
  readonly openRates: Readonly<Record<Mode, readonly number[]>>;
  readonly turnTimeoutMs: number;
  readonly turnsPerChat: number;
  readonly history: {
    readonly bigChats: number;
    /** 500 turns: the system prompt plus 1,000 messages. */
    readonly bigTurns: number;
    readonly smallChats: number;
    /** 5 turns: the system prompt plus 10 messages. */
    readonly smallTurns: number;
    readonly measureTurns: number;
    readonly modes: readonly Mode[];
  };
  readonly stall: {
    readonly levels: readonly number[];
    readonly bisectSteps: number;
    /** Stop escalating once this much time went into the search (per surface). */
    readonly budgetMs: number;
    readonly turnTimeoutMs: number;
    /** 'best': the first streaming surface available; 'all': each of them. */
    readonly surfaces: 'best' | 'all';
  };
  readonly idle: { readonly ownSockets: number; readonly sharedSocket: number; readonly settleMs: number };
  readonly peer: boolean;
  readonly surfaces: readonly SurfaceName[] | undefined;
}

export function makePlan(options: { quick: boolean; stores?: readonly Store[]; surfaces?: readonly SurfaceName[]; peer: boolean }): Plan {
  if (options.quick) {
    return {
      quick: true,
      stores: options.stores ?? ['sqlite'],
      modes: ['paced', 'zero'],
      concurrencies: [1, 16],
      timing: {
        zero: { warmupMs: 150, durationMs: 400, minTurns: 20, maxDurationMs: 900 },
        paced: { warmupMs: 380, durationMs: 400, minTurns: 2, maxDurationMs: 1_200 },
      },
      openRates: { zero: [], paced: [] },
      turnTimeoutMs: 10_000,
      turnsPerChat: 10,
      history: { bigChats: 1, bigTurns: 500, smallChats: 5, smallTurns: 5, measureTurns: 20, modes: ['zero'] },
      stall: { levels: [16, 64, 256], bisectSteps: 0, budgetMs: 4_000, turnTimeoutMs: 5_000, surfaces: 'best' },
      idle: { ownSockets: 1_000, sharedSocket: 0, settleMs: 600 },
      peer: options.peer,
      surfaces: options.surfaces,
    };
  }
  return {
    quick: false,
    stores: options.stores ?? ['sqlite', 'mysql', 'mysql-2-replicas'],
    modes: ['paced', 'zero'],
    concurrencies: [1, 16, 64, 256],
    timing: {
      zero: { warmupMs: 1_000, durationMs: 3_000, minTurns: 200, maxDurationMs: 10_000 },
      paced: { warmupMs: 700, durationMs: 3_000, minTurns: 20, maxDurationMs: 10_000 },
    },
    // A steady load every surface can carry on this machine: ~14 paced streams in flight, 100 short turns/s.
    openRates: { zero: [100], paced: [40] },
    turnTimeoutMs: 30_000,
    turnsPerChat: 10,
    history: { bigChats: 2, bigTurns: 500, smallChats: 10, smallTurns: 5, measureTurns: 30, modes: ['zero', 'paced'] },
    stall: { levels: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192], bisectSteps: 2, budgetMs: 60_000, turnTimeoutMs: 20_000, surfaces: 'all' },
    idle: { ownSockets: 4_000, sharedSocket: 4_000, settleMs: 2_000 },
    peer: options.peer,
    surfaces: options.surfaces,
  };
}
