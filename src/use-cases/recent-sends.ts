import { invalidInput } from '../domain/errors.js';
import type { CoreDeps } from './core-deps.js';
import { followReply } from './follow-reply.js';
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

/** The first send's turn, for a retry: its reply from the start, live or from the store. */
function replay(deps: CoreDeps, first: ReplyStream): ReplyStream {
  const { chat, userMessage, assistantMessage } = first;
  const events = followReply(deps, { type: 'started', chat, userMessage, assistantMessage }, 0);
  return Object.assign(events, { chat, userMessage, assistantMessage });
}
