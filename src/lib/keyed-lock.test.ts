import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('KeyedLock', () => {
  it('runs the tasks of one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await later(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([lock.run('a', task('1', 30)), lock.run('a', task('2', 1)), lock.run('a', task('3', 1))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(lock.size).toBe(0);
  });

  it('runs different keys concurrently', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    await Promise.all([
      lock.run('a', async () => {
        log.push('start a');
        await later(30);
        log.push('end a');
      }),
      lock.run('b', async () => {
        log.push('start b');
        await later(1);
        log.push('end b');
      }),
    ]);
    expect(log).toEqual(['start a', 'start b', 'end b', 'end a']);
  });

  it('releases the key when a task fails', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('a', async () => 'next')).resolves.toBe('next');
    expect(lock.size).toBe(0);
  });
});
