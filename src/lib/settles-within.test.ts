import { describe, expect, it } from 'vitest';
import { settlesWithin } from './settles-within.js';

describe('settlesWithin', () => {
  it('is true when the work settles in time, whether it fulfils or rejects', async () => {
    expect(await settlesWithin(Promise.resolve('done'), 1_000)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('failed')), 1_000)).toBe(true);
  });

  it('is false when the time runs out first, also for a deadline already passed', async () => {
    const never = new Promise(() => {});
    expect(await settlesWithin(never, 10)).toBe(false);
    expect(await settlesWithin(never, -5)).toBe(false);
  });
});
