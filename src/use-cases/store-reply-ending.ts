import { setTimeout as sleep } from 'node:timers/promises';
import { isDomainError } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { CoreDeps } from './core-deps.js';
import type { ReplyOutcome } from './ports.js';

/** The ports this step needs. */
export type StoreReplyEndingDeps = Pick<CoreDeps, 'chats' | 'logger'>;

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
/** How long a reply's ending waits for the store to come back before it is given up (the lease then recovers it). */
export const FINAL_WRITE_PATIENCE_MS = 10 * 60_000;

/**
 * Stores how a reply ended and returns the stored row, which is what its
 * watchers are told. While the store is unreachable (UNAVAILABLE) the write
 * is retried with backoff, so an outage delays the ending instead of losing
 * it. Undefined when it was given up: on `abandoned` (shutdown), after
 * FINAL_WRITE_PATIENCE_MS, or on an error retrying cannot fix.
 */
export async function storeReplyEnding(
  deps: StoreReplyEndingDeps,
  reply: Message,
  outcome: ReplyOutcome,
  abandoned: AbortSignal,
): Promise<Message | undefined> {
  const started = Date.now();
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    try {
      return await deps.chats.finishReply(reply, outcome);
    } catch (error) {
      const retryable = isDomainError(error) && error.code === 'UNAVAILABLE';
      const patient = Date.now() - started + delay < FINAL_WRITE_PATIENCE_MS;
      if (!retryable || !patient || abandoned.aborted) {
        deps.logger.error({ messageId: reply.id, err: error }, 'storing the end of a reply failed; its lease will recover it');
        return undefined;
      }
      deps.logger.warn({ messageId: reply.id, retryInMs: delay }, 'the store is unavailable; will retry storing the end of a reply');
      try {
        await sleep(delay, undefined, { signal: abandoned });
      } catch {
        return undefined;
      }
    }
  }
}
