import { Redis } from 'ioredis';
import type { Logger } from '../../use-cases/ports.js';
import { settlesWithin } from '../../lib/settles-within.js';

/**
 * The connections every replica opens to Redis: one for commands and
 * publishing, one for subscriptions (a subscribed connection can run no
 * other command). Commands fail at once while Redis is unreachable instead
 * of queueing, so callers can answer UNAVAILABLE; both reconnect by
 * themselves, and the subscriber resubscribes its channels.
 */
export interface RedisConnections {
  readonly commands: Redis;
  readonly subscriber: Redis;
  /** Throws when Redis does not answer a PING. */
  ping(): Promise<void>;
  /** Resolves once both connections are up, or after `timeoutMs` (Redis down at start: /readyz says so). */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const RECONNECT_MAX_MS = 2_000;

export function connectRedis(url: string, logger: Logger): RedisConnections {
  const options = {
    // A request while disconnected fails now, not after a queue of retries.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, RECONNECT_MAX_MS),
  };
  const commands = new Redis(url, { ...options, connectionName: 'chatservice' });
  // After a reconnect the subscriber resubscribes its channels by itself (autoResubscribe).
  const subscriber = new Redis(url, { ...options, connectionName: 'chatservice-subscriber' });
  for (const [name, client] of [['commands', commands], ['subscriber', subscriber]] as const) {
    let down = false;
    client.on('error', (error: Error) => {
      if (!down) logger.warn({ connection: name, err: error }, 'redis unreachable; reconnecting');
      down = true;
    });
    client.on('ready', () => {
      if (down) logger.info({ connection: name }, 'redis reachable again');
      down = false;
    });
  }
  return {
    commands,
    subscriber,
    async ping() {
      await commands.ping();
    },
    async ready(timeoutMs) {
      const up = (client: Redis) =>
        client.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => client.once('ready', () => resolve()));
      await settlesWithin(Promise.all([up(commands), up(subscriber)]), timeoutMs);
    },
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
