import type { LimitOverrides } from '../../domain/user-limits.js';
import type { UserLimitsStore } from '../../use-cases/ports.js';

export interface UserLimitsCacheOptions {
  /** How long a user's overrides are reused before the store is asked again. */
  readonly ttlMs?: number;
  /** Users remembered at most; beyond that the cache starts over. */
  readonly maxUsers?: number;
  readonly now?: () => number;
}

/** Overrides change rarely and are read on every message: they are reused for a few seconds. */
export const USER_LIMITS_CACHE_MS = 5_000;

/**
 * The store's overrides, remembered per user for USER_LIMITS_CACHE_MS, so
 * a burst of messages reads them once. A change made through this process
 * applies at once; one made on another replica within the cache time.
 * Budgets are not cached: they are checked and held in the store.
 */
export class CachedUserLimits implements UserLimitsStore {
  private readonly entries = new Map<string, { readonly overrides: Promise<LimitOverrides>; readonly until: number }>();
  private readonly ttlMs: number;
  private readonly maxUsers: number;
  private readonly now: () => number;

  constructor(
    private readonly store: UserLimitsStore,
    options: UserLimitsCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? USER_LIMITS_CACHE_MS;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  find(userId: string): Promise<LimitOverrides> {
    const now = this.now();
    const cached = this.entries.get(userId);
    if (cached !== undefined && cached.until > now) return cached.overrides;
    if (this.entries.size >= this.maxUsers) this.entries.clear();
    // Concurrent messages of a user share one read; a failed read is not remembered.
    const overrides = this.store.find(userId);
    this.entries.set(userId, { overrides, until: now + this.ttlMs });
    overrides.catch(() => this.entries.delete(userId));
    return overrides;
  }

  async save(userId: string, overrides: LimitOverrides, at: Date): Promise<void> {
    this.entries.delete(userId);
    await this.store.save(userId, overrides, at);
    this.entries.delete(userId);
  }
}
