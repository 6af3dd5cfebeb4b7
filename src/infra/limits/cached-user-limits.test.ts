import { describe, expect, it } from 'vitest';
import type { LimitOverrides } from '../../domain/user-limits.js';
import type { UserLimitsStore } from '../../use-cases/ports.js';
import { CachedUserLimits } from './cached-user-limits.js';

function countingStore(initial: LimitOverrides = {}) {
  let stored = initial;
  let reads = 0;
  let fail = false;
  const store: UserLimitsStore = {
    find: async () => {
      reads += 1;
      if (fail) throw new Error('store down');
      return stored;
    },
    save: async (_userId, overrides) => {
      stored = overrides;
    },
  };
  return { store, reads: () => reads, failNext: (value: boolean) => (fail = value) };
}

describe('CachedUserLimits', () => {
  it('reads a user\'s overrides once per cache time, concurrent reads included', async () => {
    let now = 0;
    const backing = countingStore({ dailyTokens: 5 });
    const cache = new CachedUserLimits(backing.store, { ttlMs: 1_000, now: () => now });
    await Promise.all([cache.find('a'), cache.find('a'), cache.find('a')]);
    expect(backing.reads()).toBe(1);
    now = 999;
    expect(await cache.find('a')).toEqual({ dailyTokens: 5 });
    expect(backing.reads()).toBe(1);
    now = 1_000;
    await cache.find('a');
    expect(backing.reads()).toBe(2);
  });

  it('applies a change made through it at once', async () => {
    const backing = countingStore({ dailyTokens: 5 });
    const cache = new CachedUserLimits(backing.store, { ttlMs: 60_000 });
    await cache.find('a');
    await cache.save('a', { dailyTokens: 9 }, new Date());
    expect(await cache.find('a')).toEqual({ dailyTokens: 9 });
  });

  it('does not remember a failed read', async () => {
    const backing = countingStore({});
    const cache = new CachedUserLimits(backing.store, { ttlMs: 60_000 });
    backing.failNext(true);
    await expect(cache.find('a')).rejects.toThrow('store down');
    backing.failNext(false);
    expect(await cache.find('a')).toEqual({});
  });
});
