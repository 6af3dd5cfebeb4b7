import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../use-cases/chat-events.js';
import { EventFeed, FELL_BEHIND_MESSAGE } from './event-feed.js';

const delta = (text: string, offset: number, messageId = 'm1'): ChatEvent => ({ type: 'delta', chatId: 'c1', messageId, text, offset });
const deleted: ChatEvent = { type: 'chat-deleted', chatId: 'c1' };

async function drain(feed: EventFeed): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of feed) events.push(event);
  return events;
}

describe('EventFeed', () => {
  it('hands events to a waiting reader one by one, in order', async () => {
    const feed = new EventFeed();
    const iterator = feed[Symbol.asyncIterator]();
    const first = iterator.next();
    feed.push(delta('a', 1));
    expect(await first).toEqual({ done: false, value: delta('a', 1) });
    feed.push(delta('b', 2));
    feed.end();
    expect(await iterator.next()).toEqual({ done: false, value: delta('b', 2) });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('merges the pending deltas of one reply for a reader that lags: the text concatenated, the latest position', async () => {
    const feed = new EventFeed();
    for (let i = 1; i <= 1000; i++) feed.push(delta('x', i));
    feed.push(delta('y', 1, 'm2'));
    feed.push(deleted);
    feed.end();
    expect(await drain(feed)).toEqual([delta('x'.repeat(1000), 1000), delta('y', 1, 'm2'), deleted]);
  });

  it('closes a reader that lets too many events pile up, with a retryable error, and forgets them', async () => {
    const feed = new EventFeed({ maxPendingEvents: 3, maxPendingChars: 1_000, maxStallMs: 60_000 });
    let closed = false;
    feed.onClose(() => (closed = true));
    for (let i = 0; i < 4; i++) feed.push({ type: 'chat-deleted', chatId: `c${i}` });
    expect(closed).toBe(true);
    await expect(drain(feed)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: FELL_BEHIND_MESSAGE });
  });

  it('closes a reader whose pending text grows past the limit, even as one merged delta', async () => {
    const feed = new EventFeed({ maxPendingEvents: 10, maxPendingChars: 100, maxStallMs: 60_000 });
    for (let i = 1; i <= 101; i++) feed.push(delta('x', i));
    await expect(drain(feed)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('closes a reader that has not read for longer than the stall limit while events wait', async () => {
    let now = 0;
    const feed = new EventFeed({ maxPendingEvents: 100, maxPendingChars: 1_000, maxStallMs: 5_000 }, () => now);
    feed.push(delta('a', 1));
    now = 4_000;
    feed.push(delta('b', 2));
    now = 5_001;
    feed.push(delta('c', 3));
    await expect(drain(feed)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('keeps a reader that reads, however long the stream', async () => {
    let now = 0;
    const feed = new EventFeed({ maxPendingEvents: 2, maxPendingChars: 10, maxStallMs: 5 }, () => now);
    const iterator = feed[Symbol.asyncIterator]();
    for (let i = 1; i <= 100; i++) {
      now += 1_000;
      const next = iterator.next();
      feed.push(delta('x', i));
      expect((await next).value).toEqual(delta('x', i));
    }
  });

  it('lets a reader leave at once: a pending read ends, later events are dropped, close handlers run', async () => {
    const feed = new EventFeed();
    let closed = 0;
    feed.onClose(() => closed++);
    const iterator = feed[Symbol.asyncIterator]();
    const pending = iterator.next();
    await iterator.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    feed.push(delta('late', 4));
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(closed).toBe(1);
  });
});
