import type { Redis } from 'ioredis';
import type { LiveReplies, Logger } from '../../use-cases/ports.js';

const KEY_PREFIX = 'chatservice:reply:';
/** After a reply ends, its log stays this long for watchers that are catching up; then the store is the truth. */
const ENDED_TTL_SECONDS = 120;
/** A producer killed mid-reply leaves its log; recovery reads it within a lease, this only bounds the leftovers. */
const ABANDONED_TTL_SECONDS = 24 * 60 * 60;

/**
 * The text of replies being produced, in one Redis Stream per reply, so
 * that any replica can replay a reply from any cursor and recovery can store
 * exactly what was delivered. Each delta is an entry whose id is the reply's
 * length after it (`<offset>-0`), so entry ids are the cursors; `0-1` marks
 * the start and `<length>-1` the end. Appends are not awaited: the producer
 * never waits for Redis, and a failed append only costs a watcher the
 * live log (it then follows the store's checkpoints).
 */
export class RedisLiveReplies implements LiveReplies {
  private readonly lengths = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  begin(messageId: string): void {
    this.lengths.set(messageId, 0);
    const key = KEY_PREFIX + messageId;
    this.run(messageId, this.redis.multi().xadd(key, '0-1', 'begin', '1').expire(key, ABANDONED_TTL_SECONDS).exec());
  }

  append(messageId: string, text: string): number {
    const length = (this.lengths.get(messageId) ?? 0) + text.length;
    this.lengths.set(messageId, length);
    this.run(messageId, this.redis.xadd(KEY_PREFIX + messageId, `${length}-0`, 't', text));
    return length;
  }

  async textOf(messageId: string): Promise<string | undefined> {
    const entries = await this.redis.xrange(KEY_PREFIX + messageId, '-', '+');
    if (entries.length === 0) return undefined;
    let text = '';
    for (const [, fields] of entries) {
      if (fields[0] === 'end') return undefined;
      if (fields[0] === 't') text += fields[1] ?? '';
    }
    return text;
  }

  end(messageId: string): void {
    const length = this.lengths.get(messageId);
    this.lengths.delete(messageId);
    const key = KEY_PREFIX + messageId;
    // Without a known length (recovery by another replica) the end goes after whatever was logged.
    const id = length === undefined ? '*' : `${length}-1`;
    this.run(messageId, this.redis.multi().xadd(key, id, 'end', '1').expire(key, ENDED_TTL_SECONDS).exec());
  }

  private run(messageId: string, command: Promise<unknown>): void {
    command.catch((error: unknown) => this.logger.warn({ err: error, messageId }, 'writing the reply log to redis failed'));
  }
}
