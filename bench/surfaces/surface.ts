import { performance } from 'node:perf_hooks';

/** Where the surfaces send traffic; always 127.0.0.1. */
export interface Target {
  /** The service's HTTP base URL (POST /chat, /graphql). */
  readonly httpUrl?: string | undefined;
  /** The service's gRPC address, host:port. */
  readonly grpcAddress?: string | undefined;
  /** Service token, sent as `authorization: Bearer <token>`. */
  readonly token: string;
  /** The fake upstream's base URL, ending in /v1. */
  readonly upstreamUrl: string;
  /** The peer gateway's base URL, ending in /v1. */
  readonly peerUrl?: string | undefined;
  /** The floor's HTTP base URL (graphql-ws at /graphql) and gRPC address (bench/floor/floor-server.ts). */
  readonly floorHttpUrl?: string | undefined;
  readonly floorGrpcAddress?: string | undefined;
  /** The model name sent upstream by the baseline (the service's default). */
  readonly model: string;
  /** The system prompt the baseline sends (the service's default). */
  readonly systemPrompt: string;
}

export interface TurnInput {
  /** The user the turn acts for (a service token names it per request). */
  readonly userId: string;
  /** Absent: the turn starts a new chat. */
  readonly chatId: string | undefined;
  readonly text: string;
  /** performance.now() when the turn was due; open-loop arrivals count their queueing too. */
  readonly startedAt: number;
  readonly signal: AbortSignal;
}

export interface TurnResult {
  /** The chat the turn went to (undefined for surfaces without chats). */
  readonly chatId: string | undefined;
  /** Time to the first piece of reply text the client saw. */
  readonly ttftMs: number;
  /** Time to the end of the reply, as the client saw it. */
  readonly turnMs: number;
  /** Largest gap between two successive pieces of reply text (0 with fewer than two). */
  readonly maxGapMs: number;
  /** Pieces of reply text received. */
  readonly deltas: number;
}

/** A connected client of one surface: runs turns, any number at once. */
export interface SurfaceClient {
  turn(input: TurnInput): Promise<TurnResult>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** The most turns that will run at once (sizes pools). */
  readonly slots: number;
}

/** One way of getting a reply: the benchmark runs the same turns through each. */
export interface Surface {
  connect(target: Target, options: ConnectOptions): Promise<SurfaceClient>;
}

/** Client-side timing of one reply: first text, gaps between pieces, end. */
export class TurnClock {
  private first: number | undefined;
  private last: number | undefined;
  private gap = 0;
  private count = 0;

  constructor(private readonly startedAt: number) {}

  /** Call when a piece of reply text arrives. */
  text(): void {
    const now = performance.now();
    if (this.first === undefined) this.first = now;
    else if (this.last !== undefined && now - this.last > this.gap) this.gap = now - this.last;
    this.last = now;
    this.count += 1;
  }

  /** Call when the reply is over. A reply without text counts its end as its first token. */
  done(chatId: string | undefined): TurnResult {
    const end = performance.now();
    return {
      chatId,
      ttftMs: (this.first ?? end) - this.startedAt,
      turnMs: end - this.startedAt,
      maxGapMs: this.gap,
      deltas: this.count,
    };
  }
}

export class TurnError extends Error {
  override readonly name = 'TurnError';
}
