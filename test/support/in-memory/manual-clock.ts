import type { Clock } from '../../../src/use-cases/ports.js';

/**
 * A clock that moves only when told, so leases, budget days and rate-limit
 * windows are under the test's control. Timers (checkpoints, retries) still
 * run on real time: only what the core reads from its Clock stands still.
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date('2026-11-28T10:00:00.000Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date): void {
    this.current = at.getTime();
  }
}
