import { DomainError } from '../../domain/errors.js';
import type { ChatEvent } from '../../use-cases/chat-events.js';

export interface EventFeedLimits {
  /** Events waiting for the subscriber, after merging; past this the feed is closed. */
  readonly maxPendingEvents: number;
  /** Characters of reply text waiting for the subscriber; past this the feed is closed. */
  readonly maxPendingChars: number;
  /** A subscriber with events waiting that has not read for this long is closed. */
  readonly maxStallMs: number;
}

export const DEFAULT_FEED_LIMITS: EventFeedLimits = {
  maxPendingEvents: 256,
  maxPendingChars: 1_000_000,
  maxStallMs: 30_000,
};

export const FELL_BEHIND_MESSAGE =
  'This subscriber fell too far behind and was closed; resume the reply with its last cursor (replyEvents / WatchReply)';

/**
 * One subscriber's events, read as an AsyncIterable, with bounded memory
 * whatever the subscriber does. The producer never waits: while the
 * subscriber lags, consecutive deltas of one reply merge into one (their
 * texts concatenated, the latest cursor), so a long reply costs one pending
 * event, not one per delta. A subscriber that stops reading for good is
 * closed with UNAVAILABLE (retryable: it resumes from its last cursor).
 */
export class EventFeed implements AsyncIterable<ChatEvent> {
  private pending: ChatEvent[] = [];
  private pendingChars = 0;
  private waiting: ((result: IteratorResult<ChatEvent>) => void) | undefined;
  private lastReadAt: number;
  private state: 'open' | 'ended' | 'failed' | 'detached' = 'open';
  private closeHandlers: (() => void)[] = [];

  constructor(
    private readonly limits: EventFeedLimits = DEFAULT_FEED_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.lastReadAt = now();
  }

  /** Called once when the feed stops for any reason (read to the end, returned, failed). */
  onClose(handler: () => void): void {
    if (this.state === 'open') this.closeHandlers.push(handler);
    else handler();
  }

  push(event: ChatEvent): void {
    if (this.state !== 'open') return;
    const waiter = this.waiting;
    if (waiter) {
      this.clearWaiter();
      this.lastReadAt = this.now();
      waiter({ value: event, done: false });
      return;
    }
    this.enqueue(event);
    if (this.isOverwhelmed()) this.fail();
  }

  /** No more events: the subscriber reads what is pending, then the end. */
  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    if (this.pending.length === 0) this.finishWaiter();
    this.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatEvent> {
    return {
      next: () => this.next(),
      return: () => {
        this.detach();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private next(): Promise<IteratorResult<ChatEvent>> {
    this.lastReadAt = this.now();
    const event = this.pending.shift();
    if (event !== undefined) {
      if (event.type === 'delta') this.pendingChars -= event.text.length;
      return Promise.resolve({ value: event, done: false });
    }
    if (this.state === 'failed') return Promise.reject(new DomainError('UNAVAILABLE', FELL_BEHIND_MESSAGE));
    if (this.state !== 'open') return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  private enqueue(event: ChatEvent): void {
    const last = this.pending.at(-1);
    if (event.type === 'delta') {
      this.pendingChars += event.text.length;
      if (last?.type === 'delta' && last.messageId === event.messageId) {
        this.pending[this.pending.length - 1] = { ...event, text: last.text + event.text };
        return;
      }
    }
    this.pending.push(event);
  }

  private isOverwhelmed(): boolean {
    const { maxPendingEvents, maxPendingChars, maxStallMs } = this.limits;
    return (
      this.pending.length > maxPendingEvents ||
      this.pendingChars > maxPendingChars ||
      this.now() - this.lastReadAt > maxStallMs
    );
  }

  private fail(): void {
    this.state = 'failed';
    this.pending = [];
    this.pendingChars = 0;
    this.close();
  }

  private detach(): void {
    if (this.state === 'detached') return;
    const wasOpen = this.state === 'open';
    this.state = 'detached';
    this.pending = [];
    this.pendingChars = 0;
    this.finishWaiter();
    if (wasOpen) this.close();
  }

  private finishWaiter(): void {
    const waiter = this.waiting;
    this.clearWaiter();
    waiter?.({ value: undefined, done: true });
  }

  private clearWaiter(): void {
    this.waiting = undefined;
  }

  private close(): void {
    const handlers = this.closeHandlers;
    this.closeHandlers = [];
    for (const handler of handlers) handler();
  }
}
