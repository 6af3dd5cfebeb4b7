import { DomainError } from '../domain/errors.js';
import { settlesWithin } from '../lib/settles-within.js';

/** Why a running reply is cut short. */
export type StopReason = 'stopped' | 'shutting-down' | 'lost';

/** A reply being produced: owned by the server, stoppable by its owner. */
export interface ReplySlot {
  readonly chatId: string;
  readonly userId: string;
  /** Aborts the upstream request; its reason is a StopReason. */
  readonly signal: AbortSignal;
  /** Aborted when shutdown can wait no longer: stop retrying the final write. */
  readonly abandoned: AbortSignal;
  /** Binds the slot to the stored reply so stopReply can find it. */
  attach(messageId: string): void;
  /** Cuts the reply short (e.g. when its lease was lost). */
  stop(reason: StopReason): void;
  /** Resolves once the reply's final state is stored (or given up). */
  readonly done: Promise<void>;
  release(): void;
}

interface Running {
  readonly slot: ReplySlot;
  readonly abort: AbortController;
}

/** How long shutdown waits for stopped replies to store their text before giving up on the store. */
const FINAL_WRITE_GRACE_MS = 5_000;

/**
 * The replies this process produces: one at a time per chat (a fast local
 * check; the store's lease and last_seq guard hold across processes), and
 * the handle that stops a reply. Shutdown closes it to new replies.
 */
export class ReplyRegistry {
  private readonly byChat = new Map<string, Running>();
  private readonly byMessage = new Map<string, Running>();
  private closing = false;
  /** One signal for every reply: only shutdown gives up on the store, and then for all of them. */
  private readonly giveUp = new AbortController();

  /** Takes the chat's reply slot, or fails with CHAT_BUSY (UNAVAILABLE while shutting down). */
  reserve(chatId: string, userId: string): ReplySlot {
    if (this.closing) throw new DomainError('UNAVAILABLE', 'The service is shutting down; try again in a moment');
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
      abandoned: this.giveUp.signal,
      done,
      attach: (id) => {
        messageId = id;
        this.byMessage.set(id, running);
      },
      stop: (reason) => abort.abort(reason),
      release: () => {
        if (this.byChat.get(chatId) === running) this.byChat.delete(chatId);
        if (messageId !== undefined && this.byMessage.get(messageId) === running) this.byMessage.delete(messageId);
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

  /** Whether this process is producing the reply stored as `messageId`. */
  isRunning(messageId: string): boolean {
    return this.byMessage.has(messageId);
  }

  /** Aborts the running reply stored as `messageId`; resolves when its final state is stored. */
  async stop(messageId: string): Promise<boolean> {
    const running = this.byMessage.get(messageId);
    if (!running) return false;
    running.abort.abort('stopped' satisfies StopReason);
    await running.slot.done;
    return true;
  }

  /**
   * For shutdown: refuses new replies, lets running ones finish for up to
   * `graceMs`, then stops the rest and waits until each stored its text
   * (INCOMPLETE). A store that stays unreachable is given up on after a
   * few seconds; those replies' leases expire and another start recovers them.
   */
  async drain(graceMs: number): Promise<void> {
    this.closing = true;
    const all = [...this.byChat.values()];
    if (all.length === 0) return;
    const allDone = Promise.all(all.map((r) => r.slot.done));
    await settlesWithin(allDone, graceMs);
    for (const r of all) r.abort.abort('shutting-down' satisfies StopReason);
    await settlesWithin(allDone, FINAL_WRITE_GRACE_MS);
    this.giveUp.abort();
    await allDone;
  }
}
