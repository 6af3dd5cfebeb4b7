import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DomainError } from '../../domain/errors.js';
import type { RequestRateLimiter } from '../../use-cases/ports.js';

const WINDOW_SECONDS = 60;
/** One limiter per distinct limit in use (defaults and overrides); more than this many is a misconfiguration, so start over. */
const MAX_LIMITERS = 1_000;

/**
 * Requests per minute with rate-limiter-flexible: a fixed one-minute window
 * per user, counted in this process (RateLimiterMemory) or in Redis shared
 * by every replica (RateLimiterRedis, atomic in a Lua script). A limiter
 * counts a fixed number of points, so there is one per limit value; a user
 * whose limit changes starts a fresh window.
 */
export class FlexibleRateLimiter implements RequestRateLimiter {
  private readonly limiters = new Map<number, RateLimiterAbstract>();

  private constructor(private readonly create: (perMinute: number) => RateLimiterAbstract) {}

  static inMemory(): FlexibleRateLimiter {
    return new FlexibleRateLimiter((points) => new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: `rpm${points}` }));
  }

  /** Redis unreachable: the request is refused with UNAVAILABLE (retryable) rather than let through uncounted. */
  static onRedis(redis: Redis): FlexibleRateLimiter {
    return new FlexibleRateLimiter(
      (points) => new RateLimiterRedis({ storeClient: redis, points, duration: WINDOW_SECONDS, keyPrefix: `chatservice:rpm:${points}` }),
    );
  }

  async take(userId: string, perMinute: number): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    try {
      await this.limiterFor(perMinute).consume(keyOf(userId));
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      throw new DomainError('UNAVAILABLE', 'Request limits cannot be checked right now; try again shortly', { cause: rejection });
    }
  }

  private limiterFor(perMinute: number): RateLimiterAbstract {
    let limiter = this.limiters.get(perMinute);
    if (limiter === undefined) {
      if (this.limiters.size >= MAX_LIMITERS) this.limiters.clear();
      limiter = this.create(perMinute);
      this.limiters.set(perMinute, limiter);
    }
    return limiter;
  }
}

// User ids are caller-chosen text: hashed, they make a fixed-size key of safe characters.
const keyOf = (userId: string): string => createHash('sha256').update(userId).digest('base64url');
