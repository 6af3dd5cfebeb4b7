import { invalidInput } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { ReplyEvent } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import type { ReplyStream, SendMessageInput } from './send-message.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const REMEMBERED_SENDS = 10_000;
const REMEMBER_FOR_MS = 24 * 60 * 60 * 1000;

interface Remembered {
  readonly content: string;
  readonly chatId: string | undefined;
  readonly at: number;
  readonly turn: Promise<ReplyStream>;
}

/**
 * Sends that carried an idempotency key, remembered per user for a day (per
 * process, the newest 10,000), so that a client retrying a send it never saw
 * answered does not store the message twice: the retry gets the first send's
 * turn. A send that was refused stored nothing and is not remembered.
 */
export class RecentSends {
  private readonly byKey = new Map<string, Remembered>();

  constructor(private readonly deps: CoreDeps) {}

  async send(input: SendMessageInput, send: (input: SendMessageInput) => Promise<ReplyStream>): Promise<ReplyStream> {
    const { idempotencyKey } = input;
    if (idempotencyKey === undefined) return send(input);
    if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw invalidInput(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    const key = `${input.userId}\u0000${idempotencyKey}`;
    const now = this.deps.clock.now().getTime();
    const known = this.byKey.get(key);
    if (known && now - known.at < REMEMBER_FOR_MS) {
      if (known.content !== input.content || known.chatId !== input.chatId) {
        throw invalidInput('idempotencyKey was already used for another message');
      }
      return known.turn.then((first) => replay(this.deps, first));
    }
    const turn = send(input);
    this.byKey.delete(key);
    this.byKey.set(key, { content: input.content, chatId: input.chatId, at: now, turn });
    turn.catch(() => {
      if (this.byKey.get(key)?.turn === turn) this.byKey.delete(key);
    });
    for (const oldest of this.byKey.keys()) {
      if (this.byKey.size <= REMEMBERED_SENDS) break;
      this.byKey.delete(oldest);
    }
    return turn;
  }
}

/**
 * The first send's turn, for a retry: ReplyStarted, then once the reply is
 * stored, its whole text as one delta and the final event.
 */
function replay(deps: CoreDeps, first: ReplyStream): ReplyStream {
  const { chat, userMessage, assistantMessage } = first;
  async function* events(): AsyncGenerator<ReplyEvent> {
    yield { type: 'started', chat, userMessage, assistantMessage };
    const stored = await whenReplyEnds(deps, assistantMessage);
    if (stored.content.length > 0) {
      yield { type: 'delta', chatId: chat.id, messageId: stored.id, text: stored.content };
    }
    if (stored.status === 'FAILED') {
      yield { type: 'failed', chatId: chat.id, code: 'UPSTREAM_UNAVAILABLE', error: 'The reply failed', message: stored };
    } else {
      yield { type: 'completed', chatId: chat.id, message: stored };
    }
  }
  return Object.assign(events(), { chat, userMessage, assistantMessage });
}

async function whenReplyEnds(deps: CoreDeps, reply: Message): Promise<Message> {
  const stop = new AbortController();
  const feed = deps.events.subscribe(reply.chatId, stop.signal)[Symbol.asyncIterator]();
  // Listening starts before the store is read, so an ending in between is not missed.
  let next = feed.next();
  try {
    const stored = await deps.chats.findMessage(reply.id);
    if (stored === undefined || stored.status !== 'STREAMING') return stored ?? reply;
    for (;;) {
      const result = await next;
      if (result.done) break;
      const event = result.value;
      if ((event.type === 'completed' || event.type === 'failed') && event.message.id === reply.id) return event.message;
      next = feed.next();
    }
    return (await deps.chats.findMessage(reply.id)) ?? reply;
  } finally {
    stop.abort();
    void feed.return?.();
  }
}
