import type { ReplyStops } from '../../use-cases/ports.js';

/** One process: every reply it can stop is in its own registry, so there is nobody else to ask. */
export class InProcessReplyStops implements ReplyStops {
  requestStop(): Promise<void> {
    return Promise.resolve();
  }

  onStopRequest(): void {}
}
