import { status, type handleServerStreamingCall, type ServerWritableStream } from '@grpc/grpc-js';
import type { Caller } from '../auth/authenticator.js';
import { relay } from '../replies/relay.js';
import { callLog } from './call-log.js';
import type { GrpcContext } from './grpc-context.js';
import { toGrpcStatus } from './grpc-errors.js';

/**
 * Wraps a server-streaming implementation into a grpc-js handler:
 * `implementation` writes with `stream.send` and returns when done; errors
 * become statuses, the call is logged and known to shutdown (OpenStreams).
 * A call that is cancelled (by the client or its deadline) stops being
 * written to; whatever the implementation started goes on.
 */
export function serverStreamCall<Req, Res>(
  ctx: GrpcContext,
  implementation: (request: Req, caller: Caller, stream: OutboundStream<Res>) => Promise<void>,
): handleServerStreamingCall<Req, Res> {
  return (call) => {
    const log = callLog(ctx, call);
    const forget = ctx.openStreams.add(call as ServerWritableStream<unknown, unknown>);
    void (async () => {
      try {
        if (call.cancelled) return log.ended(status.CANCELLED);
        await implementation(call.request, ctx.auth.callerOf(call), new OutboundStream(call));
        if (call.cancelled) return log.ended(status.CANCELLED);
        log.ended(status.OK);
        call.end();
      } catch (error) {
        const failure = toGrpcStatus(error, ctx.logger, log.context);
        log.ended(call.cancelled ? status.CANCELLED : failure.code);
        if (!call.cancelled) call.emit('error', failure);
      } finally {
        forget();
      }
    })();
  };
}

/** The writing side of a server stream, aware of cancellation and backpressure. */
export class OutboundStream<Res> {
  constructor(private readonly call: ServerWritableStream<unknown, Res>) {}

  get cancelled(): boolean {
    return this.call.cancelled;
  }

  /** Writes one message; resolves once it may be followed by the next (or the call is gone). */
  async send(message: Res): Promise<void> {
    if (this.call.cancelled) return;
    if (this.call.write(message)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.call.off('drain', done);
        this.call.off('cancelled', done);
        resolve();
      };
      this.call.on('drain', done);
      this.call.on('cancelled', done);
    });
  }

  /**
   * Reads `events` into `each` until they end or the call is cancelled. On
   * cancel, reading is abandoned at once (even while waiting for the next
   * event); the producer of the events is not stopped.
   */
  async forEach<T>(events: AsyncIterable<T>, each: (event: T) => Promise<void>): Promise<void> {
    const cancelled = new AbortController();
    const cancel = () => cancelled.abort();
    this.call.once('cancelled', cancel);
    if (this.call.cancelled) cancel();
    try {
      for await (const event of relay(events, { signal: cancelled.signal })) await each(event);
    } finally {
      this.call.off('cancelled', cancel);
    }
  }
}
