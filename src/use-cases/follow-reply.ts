import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '../domain/message.js';
import type { ChatEvent, ReplyEvent, ReplyStarted } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import { recoverAbandonedReply } from './recover-replies.js';
import { settlesWithin } from '../lib/settles-within.js';

/** How often a follower that hears nothing checks the store for the reply's end. */
const STORE_RECHECK_MS = 5_000;

/** The ports this step needs. */
export type FollowReplyDeps = Pick<
  CoreDeps,
  'chats' | 'events' | 'live' | 'replies' | 'clock' | 'logger' | 'tokens' | 'models' | 'replyTiming' | 'usage' | 'metrics'
>;

/**
 * A reply as a stream of events from position `offset` of its text:
 * `started`, deltas holding exactly the text after `offset`, then the ending
 * as the store holds it. Works while the reply runs in this process, or on
 * any replica with Redis (its text so far comes from deps.live, then live
 * deltas), while it runs in another process without a shared log (the
 * store's checkpoints, polled), and after it ended (the store). Positions
 * make joining race-free: a piece already sent is never sent again, and
 * none is skipped.
 *
 * `events` is a subscription to the reply's chat, established before
 * anything about the reply was read, so that nothing published since then
 * is missed.
 */
export function followReply(
  deps: FollowReplyDeps,
  started: ReplyStarted,
  offset: number,
  events: AsyncIterable<ChatEvent>,
): AsyncIterable<ReplyEvent> {
  const feed = events[Symbol.asyncIterator]();
  const replies = follow(deps, started, offset, feed);
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => replies.next(),
      // Ending the feed first wakes the generator if it waits for an event,
      // so a subscriber that leaves is let go at once.
      return: async () => {
        await feed.return?.();
        return replies.return(undefined);
      },
    }),
  };
}

async function* follow(
  deps: FollowReplyDeps,
  started: ReplyStarted,
  offset: number,
  feed: AsyncIterator<ChatEvent>,
): AsyncGenerator<ReplyEvent, void, undefined> {
  const { id: messageId, chatId } = started.assistantMessage;
  let position = offset;
  let next: Promise<IteratorResult<ChatEvent>> | undefined;
  const nextEvent = () => (next ??= feed.next());
  let recheck: Promise<undefined> | undefined;
  const recheckDue = () => (recheck ??= sleep(STORE_RECHECK_MS, undefined, { ref: false }));
  // A shared log that cannot be read (Redis down) leaves the store to tell the story.
  const liveText = () => deps.live.textOf(messageId).catch(() => undefined);
  const delta = (text: string, end: number): ReplyEvent => ({ type: 'delta', chatId, messageId, text, offset: end });
  const { coalesceMs } = deps.replyTiming;

  try {
    yield started;
    for (;;) {
      const live = await liveText();
      if (live !== undefined) {
        // Being produced (here, or with Redis on any replica): the text so far, then the live deltas.
        if (live.length > position) {
          yield delta(live.slice(position), live.length);
          position = live.length;
        }
        // Deltas that come within REPLY_COALESCE_MS of the last one sent are held and sent as one:
        // fewer frames, fewer writes, the same text. The first delta and the ending are never held.
        let held: { text: string; end: number } | undefined;
        let holdUntil = 0;
        let flushDue: Promise<'flush'> | undefined;
        const send = (text: string, end: number): ReplyEvent => {
          holdUntil = performance.now() + coalesceMs;
          return delta(text, end);
        };
        for (;;) {
          // Events may be lost (a shared bus that went down): now and then the store says whether the reply ended.
          const waits: Promise<IteratorResult<ChatEvent> | 'flush' | undefined>[] = [nextEvent(), recheckDue()];
          if (held !== undefined) waits.push((flushDue ??= sleep(Math.max(0, holdUntil - performance.now()), 'flush', { ref: false })));
          const result = await Promise.race(waits);
          if (result === 'flush') {
            flushDue = undefined;
            const { text, end } = held!;
            held = undefined;
            yield send(text, end);
            continue;
          }
          if (result === undefined) {
            recheck = undefined;
            // A store that cannot answer now tells nothing: keep waiting for events.
            const stored = await deps.chats.findMessage(messageId).then(
              (message) => ({ message }),
              () => undefined,
            );
            if (stored === undefined || stored.message?.status === 'STREAMING') continue;
            // It ended: send what was held, then the store's text follows from there.
            if (held !== undefined) yield delta(held.text, held.end);
            break;
          }
          next = undefined;
          if (result.done) {
            // The feed ended (shutdown): what was held still goes out, so the last cursor is exact.
            if (held !== undefined) yield delta(held.text, held.end);
            return;
          }
          const event = result.value;
          if (event.type === 'delta' && event.messageId === messageId) {
            if (event.offset > position) {
              const piece = event.text.slice(Math.max(0, event.text.length - (event.offset - position)));
              position = event.offset;
              if (held !== undefined) held = { text: held.text + piece, end: position };
              else if (performance.now() >= holdUntil) yield send(piece, position);
              else held = { text: piece, end: position };
            }
          } else if ((event.type === 'completed' || event.type === 'failed') && event.message.id === messageId) {
            if (held !== undefined) yield delta(held.text, held.end);
            // Normally nothing is left; a reply recovered elsewhere may hold text we did not stream.
            if (event.message.content.length > position) yield delta(event.message.content.slice(position), event.message.content.length);
            yield event;
            return;
          }
        }
      }

      // Not produced here: the store is the truth.
      const stored = await deps.chats.findMessage(messageId);
      if (stored === undefined) return;
      if (stored.content.length > position) {
        yield delta(stored.content.slice(position), stored.content.length);
        position = stored.content.length;
      }
      if (stored.status !== 'STREAMING') {
        yield endingOf(stored);
        return;
      }
      if ((await liveText()) !== undefined) continue;
      const pending = await deps.chats.findStreamingReply(chatId);
      const lease = pending?.message.id === messageId ? pending.lease : null;
      if (!deps.replies.isRunning(messageId) && (lease === null || lease.expiresAt <= deps.clock.now())) {
        await recoverAbandonedReply(deps, stored);
        continue;
      }
      // Produced by another process: poll its checkpoints, waking early on any event of the chat.
      const woke = await settlesWithin(nextEvent(), deps.replyTiming.checkpointMs);
      if (woke) {
        const result = await nextEvent();
        next = undefined;
        if (result.done) return;
      }
    }
  } finally {
    await feed.return?.();
  }
}

/** The final event of a reply that ended, from its stored row. */
export function endingOf(stored: Message): ReplyEvent {
  if (stored.errorCode !== null || stored.status === 'FAILED') {
    const code = stored.errorCode ?? 'UPSTREAM_UNAVAILABLE';
    return { type: 'failed', chatId: stored.chatId, code, reason: 'The reply failed', message: stored };
  }
  return { type: 'completed', chatId: stored.chatId, message: stored };
}
