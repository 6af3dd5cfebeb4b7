import type { Logger } from '../../use-cases/ports.js';

/**
 * Work that outlives the request that started it (answers produced after
 * Twilio got its TwiML). Tracked so that shutdown can wait for it instead of
 * dropping it.
 */
export class BackgroundJobs {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, task: () => Promise<void>): void {
    const job = Promise.resolve()
      .then(task)
      .catch((error: unknown) => this.logger.error({ job: name, err: error }, 'background job failed'))
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  get size(): number {
    return this.running.size;
  }

  /**
   * Resolves once every job (including jobs started meanwhile) has ended, or
   * when `timeoutMs` has passed; true when nothing is left running.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      while (this.running.size > 0) {
        const ended = await Promise.race([Promise.all([...this.running]).then(() => true as const), timedOut]);
        if (!ended) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
