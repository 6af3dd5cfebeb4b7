import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { ReplyEvent } from '../../use-cases/chat-events.js';
import { replyFailure, waitForEnding, waitForEndingOrThrow } from './reply-ending.js';

const message = { id: 'm1', content: 'Hel' } as Message;
const delta: ReplyEvent = { type: 'delta', chatId: 'c1', messageId: 'm1', text: 'Hel', offset: 3 };
const completed: ReplyEvent = { type: 'completed', chatId: 'c1', message };
const failed: ReplyEvent = { type: 'failed', chatId: 'c1', code: 'UPSTREAM_UNAVAILABLE', reason: 'The model is unavailable', message };

async function* events(...items: ReplyEvent[]): AsyncGenerator<ReplyEvent> {
  yield* items;
}

describe('waiting for a reply to end', () => {
  it('gives the ending, completed or failed, and stops reading there', async () => {
    expect(await waitForEnding(events(delta, completed))).toBe(completed);
    let readAfter = false;
    const stream = (async function* () {
      yield failed;
      readAfter = true;
    })();
    expect(await waitForEnding(stream)).toBe(failed);
    expect(readAfter).toBe(false);
  });

  it('gives undefined for a stream that ended without one, or throws INTERNAL when an ending is required', async () => {
    expect(await waitForEnding(events(delta))).toBeUndefined();
    await expect(waitForEndingOrThrow(events(delta))).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it("turns a failed reply into a DomainError with its code and the core's safe message", () => {
    const error = replyFailure(failed as Extract<ReplyEvent, { type: 'failed' }>);
    expect(error).toBeInstanceOf(DomainError);
    expect({ code: error.code, message: error.message }).toEqual({ code: 'UPSTREAM_UNAVAILABLE', message: 'The model is unavailable' });
  });
});
