import { describe, expect, it, vi } from 'vitest';
import { relay } from './relay.js';

/**
 * A source fed by hand, like a chat's subscription: `next` waits for `push`,
 * and `return` ends a pending `next` at once.
 */
function feed<T>() {
  const queued: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let failure: unknown;
  const state = { returned: 0 };
  const iterator: AsyncIterator<T> = {
    next: () => {
      if (failure !== undefined) return Promise.reject(failure);
      if (queued.length > 0) return Promise.resolve({ done: false, value: queued.shift()! });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: async () => {
      state.returned += 1;
      waiting?.({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return {
    source: { [Symbol.asyncIterator]: () => iterator } as AsyncIterable<T>,
    state,
    push(value: T) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ done: false, value });
      } else queued.push(value);
    },
    fail(error: unknown) {
      failure = error;
    },
  };
}

const read = <T>(iterable: AsyncIterable<T>) => iterable[Symbol.asyncIterator]();

describe('relay', () => {
  it('passes every event through until the source ends, and notes the end once', async () => {
    const onEnd = vi.fn();
    const events: number[] = [];
    for await (const event of relay((async function* () { yield* [1, 2, 3]; })(), { onEnd })) events.push(event);
    expect(events).toEqual([1, 2, 3]);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('ends after the last event `lastWhen` picks, releasing the source at once', async () => {
    const { source, state, push } = feed<string>();
    const onEnd = vi.fn();
    const events = read(relay(source, { lastWhen: (event) => event === 'deleted', onEnd }));
    push('renamed');
    push('deleted');
    push('never read');
    expect(await events.next()).toEqual({ done: false, value: 'renamed' });
    expect(await events.next()).toEqual({ done: false, value: 'deleted' });
    expect(state.returned).toBe(1);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(await events.return!()).toEqual({ done: true, value: undefined });
    expect(state.returned).toBe(1);
  });

  it('reaches the source at once when its reader returns while waiting for the next event', async () => {
    const { source, state } = feed<string>();
    const onEnd = vi.fn();
    const events = read(relay(source, { onEnd }));
    const pending = events.next();
    await events.return!();
    expect(state.returned).toBe(1);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('ends when its signal aborts, even while waiting, and drops what arrives after', async () => {
    const { source, state, push } = feed<string>();
    const stop = new AbortController();
    const onEnd = vi.fn();
    const events = read(relay(source, { signal: stop.signal, onEnd }));
    push('first');
    expect(await events.next()).toEqual({ done: false, value: 'first' });
    const pending = events.next();
    stop.abort();
    expect(state.returned).toBe(1);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('reads nothing when its signal aborted before', async () => {
    const { source, state, push } = feed<string>();
    push('unread');
    const events = read(relay(source, { signal: AbortSignal.abort() }));
    expect(state.returned).toBe(1);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it("rejects with the source's failure, or turns it into a last event", async () => {
    const failure = new Error('store unreachable');
    const plain = feed<string>();
    plain.fail(failure);
    const onEnd = vi.fn();
    await expect(read(relay(plain.source, { onEnd })).next()).rejects.toBe(failure);
    expect(onEnd).toHaveBeenCalledTimes(1);

    const inBand = feed<string>();
    inBand.push('before');
    const events = read(relay(inBand.source, { failureAsEvent: (error) => ({ failed: error }) }));
    expect(await events.next()).toEqual({ done: false, value: 'before' });
    inBand.fail(failure);
    expect(await events.next()).toEqual({ done: false, value: { failed: failure } });
    expect(await events.next()).toEqual({ done: true, value: undefined });
    // A source that threw is finished: it is not returned.
    expect(inBand.state.returned).toBe(0);
  });
});
