import { describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/logging/logger.js';
import { BackgroundJobs } from './background-jobs.js';

const logger = createLogger({ level: 'silent' });
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
    const jobs = new BackgroundJobs(logger);
    jobs.run('broken', async () => {
      throw new Error('boom');
    });
    jobs.run('sync-broken', () => {
      throw new Error('boom at once');
    });
    expect(await jobs.drain(1_000)).toBe(true);
  });
});
