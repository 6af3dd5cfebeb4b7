import type { Logger } from '../../use-cases/ports.js';
import { settlesWithin } from '../../lib/settles-within.js';

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
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      if (!(await settlesWithin(Promise.all(this.running), deadline - Date.now()))) return false;
    }
    return true;
  }

}
