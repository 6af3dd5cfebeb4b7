import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, invalidInput } from '../domain/errors.js';
import type { CoreDeps } from './core-deps.js';
import { followReply } from './follow-reply.js';
import type { RememberedSend } from './ports.js';
import type { ReplyStream, SendMessageInput } from './send-message.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** How long a retry waits for a first send still being stored (any replica) before giving up. */
const FIRST_SEND_PATIENCE_MS = 10_000;
const POLL_MS = 50;

/** The ports this step needs. */
export type RecentSendsDeps = Pick<
  CoreDeps,
  'sendKeys' | 'chats' | 'events' | 'live' | 'replies' | 'clock' | 'logger' | 'tokens' | 'models' | 'replyTiming' | 'usage' | 'metrics'
>;

/**
 * Sends that carried an idempotency key, remembered per user for a day, so
 * that a client retrying a send it never saw answered (on any replica, with
 * Redis) does not store the message twice: the retry gets the first send's
 * turn. A send that was refused stored nothing and is not remembered.
 */
export class RecentSends {
  constructor(private readonly deps: RecentSendsDeps) {}

  async send(input: SendMessageInput, send: (input: SendMessageInput) => Promise<ReplyStream>): Promise<ReplyStream> {
    const { idempotencyKey } = input;
    if (idempotencyKey === undefined) return send(input);
    if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw invalidInput(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    const key = `${input.userId}\u0000${idempotencyKey}`;
    const mine: RememberedSend = { content: input.content, chatId: input.chatId };
    const started = Date.now();
    for (;;) {
      const earlier = await this.deps.sendKeys.claim(key, mine);
      if (earlier === undefined) return this.first(key, mine, input, send);
      if (earlier.content !== input.content || earlier.chatId !== input.chatId) {
        throw invalidInput('idempotencyKey was already used for another message');
      }
      const turn = earlier.turn ?? (await this.settled(key, started));
      if (turn !== undefined) return this.replay(input.userId, turn);
      // The first send was refused meanwhile: this one is a send of its own.
    }
  }

  private async first(key: string, mine: RememberedSend, input: SendMessageInput, send: (input: SendMessageInput) => Promise<ReplyStream>) {
    let stream: ReplyStream;
    try {
      stream = await send(input);
    } catch (error) {
      await this.deps.sendKeys.release(key).catch((failure: unknown) => this.deps.logger.warn({ err: failure }, 'forgetting an idempotency key failed'));
      throw error;
    }
    const turn = { chatId: stream.chat.id, userMessageId: stream.userMessage.id, assistantMessageId: stream.assistantMessage.id };
    await this.deps.sendKeys
      .settle(key, { ...mine, turn })
      .catch((failure: unknown) => this.deps.logger.warn({ err: failure }, 'recording an idempotency key failed'));
    return stream;
  }

  /** Waits for a first send still in progress to store its turn; undefined when it was refused. */
  private async settled(key: string, started: number): Promise<RememberedSend['turn']> {
    while (Date.now() - started < FIRST_SEND_PATIENCE_MS) {
      await sleep(POLL_MS);
      const known = await this.deps.sendKeys.find(key);
      if (known === undefined) return undefined;
      if (known.turn !== undefined) return known.turn;
    }
    throw new DomainError('UNAVAILABLE', 'The first send with this idempotencyKey is still being stored; retry shortly');
  }

  /** The first send's turn, for a retry: its reply from the start, live or from the store. */
  private async replay(userId: string, turn: NonNullable<RememberedSend['turn']>): Promise<ReplyStream> {
    const { chats } = this.deps;
    const [chat, userMessage, assistantMessage] = await Promise.all([
      chats.findChat(userId, turn.chatId),
      chats.findMessage(turn.userMessageId),
      chats.findMessage(turn.assistantMessageId),
    ]);
    if (chat === undefined || userMessage === undefined || assistantMessage === undefined) {
      throw invalidInput('idempotencyKey belongs to a send whose chat was deleted');
    }
    const events = followReply(this.deps, { type: 'started', chat, userMessage, assistantMessage }, 0, await this.deps.events.subscribe(chat.id));
    return Object.assign(events, { chat, userMessage, assistantMessage });
  }
}
