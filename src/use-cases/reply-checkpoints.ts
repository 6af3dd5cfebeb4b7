import { leaseUntil } from '../domain/reply-lease.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this step needs. */
export type ReplyCheckpointsDeps = Pick<CoreDeps, 'chats' | 'clock' | 'logger' | 'replyTiming'>;

/**
 * Saves a streaming reply's text and renews its lease every
 * REPLY_CHECKPOINT_MS, in one update per tick (never per delta), so a
 * process killed mid-reply loses at most one interval of text. When the
 * store says the reply is no longer ours (recovered after the lease ran out
 * during an outage), `onLost` is called and the producer stops.
 */
export class ReplyCheckpoints {
  private readonly timer: NodeJS.Timeout;
  private inFlight: Promise<void> | undefined;
  private savedLength = 0;

  constructor(
    private readonly deps: ReplyCheckpointsDeps,
    private readonly messageId: string,
    private readonly textSoFar: () => string,
    private readonly onLost: () => void,
  ) {
    this.timer = setInterval(() => this.tick(), deps.replyTiming.checkpointMs);
    this.timer.unref();
  }

  /** Stops checkpointing; resolves once a checkpoint in flight has settled. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private tick(): void {
    // A store slower than the interval gets one checkpoint at a time.
    if (this.inFlight !== undefined) return;
    const { chats, clock, logger, replyTiming } = this.deps;
    const text = this.textSoFar();
    const lease = leaseUntil(replyTiming.owner, clock.now(), replyTiming.leaseMs);
    const content = text.length === this.savedLength ? undefined : text;
    this.inFlight = chats
      .checkpointReply(this.messageId, content, lease)
      .then(
        (stillOurs) => {
          if (stillOurs) this.savedLength = text.length;
          else this.onLost();
        },
        (error: unknown) => {
          // The lease is not renewed while the store is down; the next tick tries again.
          logger.warn({ messageId: this.messageId, err: error }, 'checkpointing a reply failed');
        },
      )
      .finally(() => (this.inFlight = undefined));
  }
}
