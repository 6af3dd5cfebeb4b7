import type { Redis } from 'ioredis';
import { DomainError } from '../../domain/errors.js';
import type { Logger, ReplyStops } from '../../use-cases/ports.js';

const CHANNEL = 'chatservice:stop-reply';

/** Stop requests broadcast to every replica; the one producing the reply stops it. */
export class RedisReplyStops implements ReplyStops {
  private readonly handlers: ((messageId: string) => void)[] = [];

  private constructor(
    private readonly publisher: Redis,
    private readonly logger: Logger,
  ) {}

  /**
   * Listens to stop requests from now on: subscribed whenever the subscriber
   * connection is (re)established, so a Redis that is down at start or
   * restarted empty is no obstacle.
   */
  static create(publisher: Redis, subscriber: Redis, logger: Logger): RedisReplyStops {
    const stops = new RedisReplyStops(publisher, logger);
    subscriber.on('message', (channel: string, messageId: string) => {
      if (channel === CHANNEL) for (const stop of stops.handlers) stop(messageId);
    });
    const listen = () =>
      void subscriber.subscribe(CHANNEL).catch((error: unknown) => {
        logger.warn({ err: error }, 'subscribing to stop requests failed; will retry when redis is back');
      });
    subscriber.on('ready', listen);
    if (subscriber.status === 'ready') listen();
    return stops;
  }

  async requestStop(messageId: string): Promise<void> {
    try {
      await this.publisher.publish(CHANNEL, messageId);
    } catch (error) {
      this.logger.warn({ err: error, messageId }, 'publishing a stop request failed');
      throw new DomainError('UNAVAILABLE', 'The reply runs on another replica, which cannot be reached right now', { cause: error });
    }
  }

  onStopRequest(stop: (messageId: string) => void): void {
    this.handlers.push(stop);
  }
}
