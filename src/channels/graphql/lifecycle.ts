import { settlesWithin } from '../../lib/settles-within.js';

/**
 * The channel's part in shutdown: long-lived feeds end on `signal`, and
 * reply streams are tracked so that shutdown can wait until each subscriber
 * got its reply's last event.
 */
export class StreamLifecycle {
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<void>>();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Passes `source` through, noting when it ends (drained, returned or failed). */
  track<T>(source: AsyncIterable<T>): AsyncIterable<T> {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.running.add(done);
    void done.then(() => this.running.delete(done));
    return {
      [Symbol.asyncIterator]: () => {
        const inner = source[Symbol.asyncIterator]();
        return {
          next: async () => {
            try {
              const result = await inner.next();
              if (result.done) finish();
              return result;
            } catch (error) {
              finish();
              throw error;
            }
          },
          return: async (value?: unknown) => {
            finish();
            return (await inner.return?.(value)) ?? { done: true, value: undefined };
          },
        };
      },
    };
  }

  /** Ends the feeds, then resolves when every tracked stream ended or `graceMs` passed. */
  async shutdown(graceMs: number): Promise<void> {
    this.controller.abort();
    await settlesWithin(Promise.all(this.running), graceMs);
  }
}

/**
 * Events of `source` up to and including the first for which `isLast` holds.
 * Unlike an async generator, returning early reaches `source` at once, even
 * while it waits for its next event, so its subscription is released.
 */
export function endAfter<T>(source: AsyncIterable<T>, isLast: (item: T) => boolean): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      const inner = source[Symbol.asyncIterator]();
      let ended = false;
      const end = async (): Promise<IteratorResult<T>> => {
        if (!ended) {
          ended = true;
          await inner.return?.();
        }
        return { done: true, value: undefined };
      };
      return {
        next: async () => {
          if (ended) return { done: true, value: undefined };
          const result = await inner.next();
          if (result.done) {
            ended = true;
            return result;
          }
          if (isLast(result.value)) void end();
          return result;
        },
        return: end,
      };
    },
  };
}

/** A failure of a subscription's source, carried to the resolver as an event. */
export class StreamFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Ends `source` with its failure as a last item instead of a rejection, so
 * the field resolver can throw it (see `eventOrThrow`) and the client gets a
 * masked GraphQL error with a stable code in a normal payload, the same over
 * SSE and WebSocket, instead of a transport-level error.
 */
export function failuresInBand<T>(source: AsyncIterable<T>): AsyncIterable<T | StreamFailure> {
  return {
    [Symbol.asyncIterator]: () => {
      const inner = source[Symbol.asyncIterator]();
      let failed = false;
      return {
        next: async () => {
          if (failed) return { done: true, value: undefined };
          try {
            return await inner.next();
          } catch (error) {
            failed = true;
            return { done: false, value: new StreamFailure(error) };
          }
        },
        return: async () => (await inner.return?.()) ?? { done: true, value: undefined },
      };
    },
  };
}

/** For subscription resolvers: the event, or the source's failure thrown as the field's error. */
export function eventOrThrow<T>(item: T | StreamFailure): T {
  if (item instanceof StreamFailure) throw item.error;
  return item;
}
