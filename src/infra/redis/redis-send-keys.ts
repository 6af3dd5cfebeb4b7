import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DomainError } from '../../domain/errors.js';
import type { RememberedSend, SendKeys } from '../../use-cases/ports.js';
import { fromJson, toJson } from './redis-serialization.js';

const KEY_PREFIX = 'chatservice:send:';
const REMEMBER_FOR_SECONDS = 24 * 60 * 60;

/** Idempotency keys shared by every replica: SET NX claims a key for the first send, for a day. */
export class RedisSendKeys implements SendKeys {
  constructor(private readonly redis: Redis) {}

  async claim(key: string, send: RememberedSend): Promise<RememberedSend | undefined> {
    const taken = await this.guard(this.redis.set(this.keyOf(key), toJson(send), 'EX', REMEMBER_FOR_SECONDS, 'NX'));
    if (taken === 'OK') return undefined;
    return (await this.find(key)) ?? this.claim(key, send);
  }

  async settle(key: string, send: RememberedSend): Promise<void> {
    await this.guard(this.redis.set(this.keyOf(key), toJson(send), 'EX', REMEMBER_FOR_SECONDS, 'XX'));
  }

  async release(key: string): Promise<void> {
    await this.guard(this.redis.del(this.keyOf(key)));
  }

  async find(key: string): Promise<RememberedSend | undefined> {
    const stored = await this.guard(this.redis.get(this.keyOf(key)));
    return stored === null ? undefined : fromJson<RememberedSend>(stored);
  }

  // User ids and keys are caller-chosen text: hashed, they make a fixed-size key of safe characters.
  private keyOf(key: string): string {
    return KEY_PREFIX + createHash('sha256').update(key).digest('base64url');
  }

  private async guard<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      throw new DomainError('UNAVAILABLE', 'Idempotency keys are unavailable right now; try again shortly', { cause: error });
    }
  }
}
