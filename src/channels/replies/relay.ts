export interface RelayOptions<T, F> {
  /** Ends the stream after the first event for which this holds (that event included). */
  readonly lastWhen?: (event: T) => boolean;
  /** Turns a failure of the source into a last event instead of a rejection. */
  readonly failureAsEvent?: (error: unknown) => F;
  /** Called once when the stream ends: drained, failed, ended by `lastWhen` or `signal`, or returned by its reader. */
  readonly onEnd?: () => void;
  /** Ends the stream when it aborts. */
  readonly signal?: AbortSignal;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Passes the events of `source` through, with the endings a channel needs
 * (see RelayOptions). The one hand-written async-iterator wrapper of the
 * channels: unlike an async generator, an early end (`return()`, `lastWhen`,
 * `signal`) reaches `source` at once, even while it waits for its next
 * event, so a reply's or chat's subscription is released as soon as its
 * reader goes away instead of at the next event, which may never come.
 */
export function relay<T, F = never>(source: AsyncIterable<T>, options: RelayOptions<T, F> = {}): AsyncIterable<T | F> {
  const { lastWhen, failureAsEvent, onEnd, signal } = options;
  return {
    [Symbol.asyncIterator]: () => {
      const inner = source[Symbol.asyncIterator]();
      let ended = false;
      const end = (): boolean => {
        if (ended) return false;
        ended = true;
        signal?.removeEventListener('abort', release);
        onEnd?.();
        return true;
      };
      // Ending early: the source is told at once, and nothing more is read from it.
      const release = (): void => {
        if (end()) void inner.return?.();
      };
      if (signal?.aborted) release();
      else signal?.addEventListener('abort', release, { once: true });

      return {
        next: async (): Promise<IteratorResult<T | F>> => {
          if (ended) return DONE;
          let result: IteratorResult<T>;
          try {
            result = await inner.next();
          } catch (error) {
            // A source that threw is finished: nothing to release.
            if (!end()) return DONE;
            if (failureAsEvent === undefined) throw error;
            return { done: false, value: failureAsEvent(error) };
          }
          // Ended meanwhile (returned by its reader, or by `signal`): what arrived is dropped.
          if (ended) return DONE;
          if (result.done) end();
          else if (lastWhen?.(result.value)) release();
          return result;
        },
        return: async (): Promise<IteratorResult<T | F>> => {
          if (!end()) return DONE;
          return (await inner.return?.()) ?? DONE;
        },
      };
    },
  };
}
