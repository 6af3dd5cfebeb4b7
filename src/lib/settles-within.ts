import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for `work` for at most `ms`: true when it settled (fulfilled or
 * rejected) in time, false when the time ran out first. Shutdown paths use it
 * to bound how long they wait.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      sleep(Math.max(0, ms), false, { signal: timer.signal }),
    ]);
  } finally {
    timer.abort();
  }
}
