import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { isStoreUnreachable, withStoreDeadline } from './store-guard.js';

class SlowStore {
  constructor(private readonly delayMs: number) {}
  label = 'store';
  async read(value: string): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return `${this.label}:${value}`;
  }
  async fail(error: unknown): Promise<never> {
    throw error;
  }
}

describe('withStoreDeadline', () => {
  it('passes answers that come in time through, with the store as `this`', async () => {
    expect(await withStoreDeadline(new SlowStore(1), 500).read('x')).toBe('store:x');
  });

  it('fails a call the store does not answer in time with UNAVAILABLE', async () => {
    const started = Date.now();
    await expect(withStoreDeadline(new SlowStore(5_000), 50).read('x')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('turns driver errors that mean "unreachable" into UNAVAILABLE, and leaves the others alone', async () => {
    const store = withStoreDeadline(new SlowStore(1), 500);
    await expect(store.fail(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(store.fail(Object.assign(new Error('lost'), { fatal: true }))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const syntax = Object.assign(new Error('You have an error in your SQL syntax'), { code: 'ER_PARSE_ERROR' });
    await expect(store.fail(syntax)).rejects.toBe(syntax);
    const busy = new DomainError('CHAT_BUSY', 'busy');
    await expect(store.fail(busy)).rejects.toBe(busy);
  });

  it('recognises wrapped driver errors', () => {
    expect(isStoreUnreachable({ nativeError: { code: 'PROTOCOL_CONNECTION_LOST' } })).toBe(true);
    expect(isStoreUnreachable({ name: 'KnexTimeoutError' })).toBe(true);
    expect(isStoreUnreachable(new Error('plain'))).toBe(false);
  });
});
