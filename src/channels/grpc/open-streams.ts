import { status, type ServerWritableStream } from '@grpc/grpc-js';

/**
 * Server streams in progress, so that shutdown can end each with a proper
 * status (UNAVAILABLE: retry elsewhere, resume with a cursor) instead of
 * dropping the connection under it.
 */
export class OpenStreams {
  private readonly calls = new Set<ServerWritableStream<unknown, unknown>>();
  private emptied: (() => void)[] = [];

  add(call: ServerWritableStream<unknown, unknown>): () => void {
    this.calls.add(call);
    return () => {
      this.calls.delete(call);
      if (this.calls.size > 0) return;
      for (const resolve of this.emptied.splice(0)) resolve();
    };
  }

  /** Resolves when no stream is open (streams whose replies ended are sending their last events). */
  whenEmpty(): Promise<void> {
    if (this.calls.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptied.push(resolve));
  }

  endAll(message: string): void {
    for (const call of this.calls) {
      if (!call.cancelled) call.emit('error', { code: status.UNAVAILABLE, details: message });
    }
    this.calls.clear();
  }
}
