import { relay, type RelayOptions } from '../replies/relay.js';

/** A failure of a subscription's source, carried to the resolver as an event. */
export class StreamFailure {
  constructor(readonly error: unknown) {}
}

const asStreamFailure = (error: unknown) => new StreamFailure(error);

/**
 * A subscription's source as Yoga gets it: the events of `source`, ended as
 * `options` say, with its failure as a last event instead of a rejection, so
 * the field resolver can throw it (see `eventOrThrow`) and the client gets a
 * masked GraphQL error with a stable code in a normal payload, the same over
 * SSE and WebSocket, instead of a transport-level error.
 */
export function subscriptionEvents<T>(
  source: AsyncIterable<T>,
  options: Pick<RelayOptions<T, never>, 'lastWhen' | 'onEnd'> = {},
): AsyncIterable<T | StreamFailure> {
  return relay(source, { ...options, failureAsEvent: asStreamFailure });
}

/** For subscription resolvers: the event, or the source's failure thrown as the field's error. */
export function eventOrThrow<T>(item: T | StreamFailure): T {
  if (item instanceof StreamFailure) throw item.error;
  return item;
}
