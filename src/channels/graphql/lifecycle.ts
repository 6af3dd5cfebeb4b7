import { settlesWithin } from '../../lib/settles-within.js';

/**
 * The channel's part in shutdown: long-lived feeds end on `signal`, and
 * reply streams hold the shutdown so that it can wait until each subscriber
 * got its reply's last event.
 */
export class StreamLifecycle {
  private readonly controller = new AbortController();
  private readonly holds = new Set<Promise<void>>();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Notes a reply stream as running; call the returned function when it
   * ended (drained, returned or failed). Calling it again does nothing.
   */
  hold(): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    this.holds.add(held);
    void held.then(() => this.holds.delete(held));
    return release;
  }

  /** Ends the feeds, then resolves when every hold was released or `graceMs` passed. */
  async shutdown(graceMs: number): Promise<void> {
    this.controller.abort();
    await settlesWithin(Promise.all(this.holds), graceMs);
  }
}
