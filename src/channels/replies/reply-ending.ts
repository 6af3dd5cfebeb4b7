import { DomainError } from '../../domain/errors.js';
import type { ReplyCompleted, ReplyEvent, ReplyFailed } from '../../use-cases/chat-events.js';

/** How a reply ended: its last event. */
export type ReplyEnding = ReplyCompleted | ReplyFailed;

/**
 * Reads a reply's events up to its ending, for channels that answer with the
 * whole reply (GraphQL's sendMessage mutation, POST /chat, WhatsApp).
 * Undefined when the stream ended without one: the process is shutting down,
 * or the chat was deleted meanwhile.
 */
export async function waitForEnding(events: AsyncIterable<ReplyEvent>): Promise<ReplyEnding | undefined> {
  for await (const event of events) {
    if (event.type === 'completed' || event.type === 'failed') return event;
  }
  return undefined;
}

/** `waitForEnding` for channels that must answer with an ending: a stream that ended without one is INTERNAL. */
export async function waitForEndingOrThrow(events: AsyncIterable<ReplyEvent>): Promise<ReplyEnding> {
  const ending = await waitForEnding(events);
  if (ending === undefined) throw new DomainError('INTERNAL', 'The reply ended without a result');
  return ending;
}

/**
 * A failed reply as the error its channel reports: the stable code and the
 * message the core made safe to show (never the upstream's exception text).
 */
export const replyFailure = (event: ReplyFailed): DomainError => new DomainError(event.code, event.reason);
