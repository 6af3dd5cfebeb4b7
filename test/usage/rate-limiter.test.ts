import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { FlexibleRateLimiter } from '../../src/infra/limits/flexible-rate-limiter.js';
import { connectRedis, type RedisConnections } from '../../src/infra/redis/redis-connections.js';
import { redisServerInstalled, startThrowawayRedis, type ThrowawayRedis } from '../support/redis-server.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('requests per minute in one process (RateLimiterMemory)', () => {
  it('allows the limit per user and minute, then says how long to wait', async () => {
    const limiter = FlexibleRateLimiter.inMemory();
    for (let i = 0; i < 3; i++) expect(await limiter.take('alice', 3)).toEqual({ allowed: true });
    const refused = await limiter.take('alice', 3);
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(await limiter.take('bob', 3)).toEqual({ allowed: true });
  });
});

describe.skipIf(!redisServerInstalled())('requests per minute shared by replicas (RateLimiterRedis)', () => {
  let redis: ThrowawayRedis;
  let replicaA: RedisConnections;
  let replicaB: RedisConnections;

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    replicaA = connectRedis(redis.url, silent);
    replicaB = connectRedis(redis.url, silent);
    await Promise.all([replicaA.ready(5_000), replicaB.ready(5_000)]);
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    await redis?.stop();
  });

  it('counts one user\'s requests on every replica against one limit', async () => {
    const a = FlexibleRateLimiter.onRedis(replicaA.commands);
    const b = FlexibleRateLimiter.onRedis(replicaB.commands);
    expect(await a.take('carol', 3)).toEqual({ allowed: true });
    expect(await b.take('carol', 3)).toEqual({ allowed: true });
    expect(await a.take('carol', 3)).toEqual({ allowed: true });
    const refused = await b.take('carol', 3);
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('refuses with UNAVAILABLE while Redis is down, rather than let requests through uncounted', async () => {
    const limiter = FlexibleRateLimiter.onRedis(replicaA.commands);
    await redis.shutDown();
    try {
      await expect.poll(() => replicaA.commands.status).not.toBe('ready');
      const error = await limiter.take('dave', 3).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('UNAVAILABLE');
    } finally {
      await redis.restart();
      await replicaA.ready(5_000);
    }
    expect(await limiter.take('dave', 3)).toEqual({ allowed: true });
  });
});
