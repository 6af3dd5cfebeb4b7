import { describe, expect, it } from 'vitest';
import type { Logger } from '../../use-cases/ports.js';
import { BackgroundJobs } from './background-jobs.js';

interface LogEntry {
  readonly level: keyof Logger;
  readonly fields: object;
  readonly message: string | undefined;
}

/** A Logger that keeps what it is told, for tests that check what is logged. */
class CapturingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  debug = (fields: object, message?: string) => void this.entries.push({ level: 'debug', fields, message });
  info = (fields: object, message?: string) => void this.entries.push({ level: 'info', fields, message });
  warn = (fields: object, message?: string) => void this.entries.push({ level: 'warn', fields, message });
  error = (fields: object, message?: string) => void this.entries.push({ level: 'error', fields, message });
}

const logger = new CapturingLogger();
const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('BackgroundJobs', () => {
  it('runs a job without making the caller wait, and forgets it when it ends', async () => {
    const jobs = new BackgroundJobs(logger);
    let done = false;
    jobs.run('slow', async () => {
      await later(30);
      done = true;
    });
    expect(done).toBe(false);
    expect(jobs.size).toBe(1);
    expect(await jobs.drain(1_000)).toBe(true);
    expect(done).toBe(true);
    expect(jobs.size).toBe(0);
  });

  it('drains jobs started by jobs that were running', async () => {
    const jobs = new BackgroundJobs(logger);
    const finished: string[] = [];
    jobs.run('parent', async () => {
      await later(10);
      jobs.run('child', async () => {
        await later(20);
        finished.push('child');
      });
      finished.push('parent');
    });
    expect(await jobs.drain(1_000)).toBe(true);
    expect(finished).toEqual(['parent', 'child']);
  });

  it('stops waiting after the bound and reports that jobs are left', async () => {
    const jobs = new BackgroundJobs(logger);
    jobs.run('endless', () => new Promise<void>(() => {}));
    const started = Date.now();
    expect(await jobs.drain(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(jobs.size).toBe(1);
  });

  it('contains a failing job: it is logged, not thrown at anyone', async () => {
    const log = new CapturingLogger();
    const jobs = new BackgroundJobs(log);
    const failure = new Error('boom');
    const syncFailure = new Error('boom at once');
    jobs.run('broken', async () => {
      throw failure;
    });
    jobs.run('sync-broken', () => {
      throw syncFailure;
    });
    expect(await jobs.drain(1_000)).toBe(true);
    // One error entry per failed job, in whichever order they failed.
    expect(log.entries).toHaveLength(2);
    expect(log.entries).toEqual(
      expect.arrayContaining([
        { level: 'error', message: 'background job failed', fields: { job: 'broken', err: failure } },
        { level: 'error', message: 'background job failed', fields: { job: 'sync-broken', err: syncFailure } },
      ]),
    );
  });
});
