import { DomainError } from '../domain/errors.js';
import { settlesWithin } from './settles-within.js';

/** A reply being produced: owned by the server, stoppable by its owner. */
export interface ReplySlot {
  readonly chatId: string;
  readonly userId: string;
  readonly signal: AbortSignal;
  /** Binds the slot to the stored reply so stopReply can find it. */
  attach(messageId: string): void;
  /** Resolves once the reply's final state is stored. */
  readonly done: Promise<void>;
  release(): void;
}

interface Running {
  readonly slot: ReplySlot;
  readonly abort: AbortController;
}

/**
 * One reply at a time per chat, and the handle that stops a reply. State is
 * per process; a second process writing the same chat is stopped by the
 * store's unique (chat, seq) key instead.
 */
export class ReplyRegistry {
  private readonly byChat = new Map<string, Running>();
  private readonly byMessage = new Map<string, Running>();

  /** Takes the chat's reply slot, or fails with CHAT_BUSY. */
  reserve(chatId: string, userId: string): ReplySlot {
    if (this.byChat.has(chatId)) {
      throw new DomainError('CHAT_BUSY', 'A reply is still being produced in this chat; wait for it or stop it');
    }
    const abort = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    let messageId: string | undefined;
    const slot: ReplySlot = {
      chatId,
      userId,
      signal: abort.signal,
      done,
      attach: (id) => {
        messageId = id;
        this.byMessage.set(id, running);
      },
      release: () => {
        if (this.byChat.get(chatId) === running) this.byChat.delete(chatId);
        if (messageId !== undefined) this.byMessage.delete(messageId);
        finish();
      },
    };
    const running: Running = { slot, abort };
    this.byChat.set(chatId, running);
    return slot;
  }

  isBusy(chatId: string): boolean {
    return this.byChat.has(chatId);
  }

  /** Aborts the running reply stored as `messageId`; resolves when its final state is stored. */
  async stop(messageId: string): Promise<boolean> {
    const running = this.byMessage.get(messageId);
    if (!running) return false;
    running.abort.abort(new Error('stopped'));
    await running.slot.done;
    return true;
  }

  get size(): number {
    return this.byChat.size;
  }

  /**
   * For shutdown: lets running replies finish for up to `graceMs`, then stops
   * the rest and waits until each is stored (INCOMPLETE).
   */
  async drain(graceMs: number): Promise<void> {
    const all = [...this.byChat.values()];
    if (all.length === 0) return;
    await settlesWithin(Promise.all(all.map((r) => r.slot.done)), graceMs);
    for (const r of all) r.abort.abort(new Error('shutting down'));
    await Promise.all(all.map((r) => r.slot.done));
  }
}
