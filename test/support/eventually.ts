import { vi } from 'vitest';

/** Retries `check` until it stops throwing (an expect that has come true), polling every 20 ms. */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 3_000): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: 20 });
}

/** Polls `read` until it returns something other than undefined, and resolves with that. */
export function untilDefined<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  return eventually(async () => {
    const value = await read();
    if (value === undefined) throw new Error('Timed out waiting for a condition');
    return value;
  }, timeoutMs);
}
