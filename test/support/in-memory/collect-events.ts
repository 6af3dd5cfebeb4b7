/** Every event of a stream that ends by itself (a reply's stream ends with its ending). */
export async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** The events of an endless stream (a chat's feed) up to the first one `last` accepts; then the stream is let go. */
export async function collectUntil<T>(events: AsyncIterable<T>, last: (event: T) => boolean): Promise<T[]> {
  const seen: T[] = [];
  for await (const event of events) {
    seen.push(event);
    if (last(event)) break;
  }
  return seen;
}
