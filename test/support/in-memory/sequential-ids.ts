import type { Ids } from '../../../src/use-cases/ports.js';

/**
 * Ids in the order they are made, shaped like the UUIDs the service makes
 * (fixed width, so their string order is their creation order): a test can
 * tell which record came first, and failures print readable ids.
 */
export class SequentialIds implements Ids {
  private next = 0;

  newId(): string {
    this.next += 1;
    return `00000000-0000-4000-8000-${String(this.next).padStart(12, '0')}`;
  }
}
