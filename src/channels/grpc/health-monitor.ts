import { ServerInterceptingCall, ServerListenerBuilder, type Server, type ServerInterceptor } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { settlesWithin } from '../../lib/settles-within.js';
import type { Logger } from '../../use-cases/ports.js';

export interface HealthMonitorOptions {
  /** The services to report on; '' (the whole server) is always included. */
  readonly services: readonly string[];
  /** Throws when the service cannot serve: store unreachable, migrations not applied. */
  readonly checkReady: () => Promise<void>;
  readonly logger: Logger;
  /** How often Watch subscribers get a fresh status. */
  readonly pollIntervalMs?: number;
  /** A store that does not answer within this is not ready. */
  readonly checkTimeoutMs?: number;
}

const CHECK_PATH = '/grpc.health.v1.Health/Check';

/**
 * grpc.health.v1.Health backed by the store's readiness: SERVING while the
 * store answers, NOT_SERVING while it does not, and for good once stopping.
 * Check asks the store on the spot (concurrent checks share one probe);
 * Watch is fed by a periodic probe.
 */
export class HealthMonitor {
  private readonly health = new HealthImplementation();
  private readonly services: readonly string[];
  private probe: Promise<ServingStatus> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private last: ServingStatus | undefined;

  constructor(private readonly options: HealthMonitorOptions) {
    this.services = ['', ...options.services];
    for (const service of this.services) this.health.setStatus(service, 'NOT_SERVING');
  }

  addToServer(server: Server): void {
    this.health.addToServer(server);
  }

  /** Refreshes the status before a Check is answered. */
  readonly interceptor: ServerInterceptor = (method, call) => {
    if (method.path !== CHECK_PATH) return new ServerInterceptingCall(call);
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        void this.refresh().then(() => next(metadata));
      })
      .build();
    return new ServerInterceptingCall(call, { start: (next) => next(listener) });
  };

  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.pollIntervalMs ?? 5_000);
    this.timer.unref();
  }

  /** Reports NOT_SERVING from now on, so balancers drain this instance. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.set('NOT_SERVING');
  }

  /** Probes the store (one probe at a time) and publishes the result; never throws. */
  refresh(): Promise<ServingStatus> {
    this.probe ??= this.check().then((status) => {
      this.probe = undefined;
      if (!this.stopped) this.set(status);
      return status;
    });
    return this.probe;
  }

  private async check(): Promise<ServingStatus> {
    try {
      const ready = this.options.checkReady();
      if (!(await settlesWithin(ready, this.options.checkTimeoutMs ?? 2_000))) throw new Error('readiness check timed out');
      // Settled in time: a failed check rethrows here.
      await ready;
      return 'SERVING';
    } catch (error) {
      if (this.last !== 'NOT_SERVING') this.options.logger.warn({ err: error }, 'grpc health: not serving');
      return 'NOT_SERVING';
    }
  }

  private set(status: ServingStatus): void {
    if (status === this.last) return;
    this.last = status;
    for (const service of this.services) this.health.setStatus(service, status);
  }
}
