import type { Clock, RequestRateLimiter } from '../../../src/use-cases/ports.js';

const MINUTE_MS = 60_000;

/**
 * Requests per minute and user in memory, on the core's clock: a fixed
 * window per user from their first request, as FlexibleRateLimiter's memory
 * store counts (which reads the system time, out of a unit test's control).
 */
export class ClockedRateLimiter implements RequestRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock) {}

  async take(userId: string, perMinute: number): Promise<{ readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number }> {
    const now = this.clock.now().getTime();
    let window = this.windows.get(userId);
    if (window === undefined || now - window.start >= MINUTE_MS) {
      window = { start: now, count: 0 };
      this.windows.set(userId, window);
    }
    window.count += 1;
    return window.count <= perMinute ? { allowed: true } : { allowed: false, retryAfterMs: window.start + MINUTE_MS - now };
  }
}
