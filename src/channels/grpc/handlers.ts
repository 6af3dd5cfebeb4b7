import { randomUUID } from 'node:crypto';
import {
  status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type ServerUnaryCall,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import type { ChatCore } from '../../use-cases/chat-core.js';
import type { Logger } from '../../use-cases/ports.js';
import type { Caller } from '../auth/authenticator.js';
import type { CallAuth } from './call-auth.js';
import type { RequestMetrics } from '../request-metrics.js';
import { toGrpcStatus } from './grpc-errors.js';

/** What every service implementation needs. */
export interface GrpcContext {
  readonly core: ChatCore;
  readonly auth: CallAuth;
  readonly logger: Logger;
  readonly openStreams: OpenStreams;
  /** Counts calls by method and status (Prometheus). */
  readonly requestMetrics: RequestMetrics;
}

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

type SurfaceCall = ServerUnaryCall<unknown, unknown>;

/**
 * A unary handler: gets the typed request and the authenticated caller,
 * returns the response or throws; errors become statuses in one place.
 */
export function unary<Req, Res>(
  ctx: GrpcContext,
  handler: (request: Req, caller: Caller, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const log = callLog(ctx, call);
    void (async () => {
      try {
        const response = await handler(call.request, ctx.auth.callerOf(call), call);
        log.ended(status.OK);
        callback(null, response);
      } catch (error) {
        const failure = toGrpcStatus(error, ctx.logger, log.context);
        log.ended(failure.code);
        callback(failure);
      }
    })();
  };
}

/**
 * A server-streaming handler: writes with `send`, returns when done. A call
 * that is cancelled (by the client or its deadline) stops being written to;
 * whatever the handler started goes on.
 */
export function serverStream<Req, Res>(
  ctx: GrpcContext,
  handler: (request: Req, caller: Caller, stream: OutboundStream<Res>) => Promise<void>,
): handleServerStreamingCall<Req, Res> {
  return (call) => {
    const log = callLog(ctx, call);
    const forget = ctx.openStreams.add(call as ServerWritableStream<unknown, unknown>);
    void (async () => {
      try {
        if (call.cancelled) return log.ended(status.CANCELLED);
        await handler(call.request, ctx.auth.callerOf(call), new OutboundStream(call));
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
   * cancel, iteration is abandoned at once (even while waiting for the next
   * event); the producer of the events is not stopped.
   */
  async forEach<T>(events: AsyncIterable<T>, each: (event: T) => Promise<void>): Promise<void> {
    const iterator = events[Symbol.asyncIterator]();
    const abandon = () => void iterator.return?.();
    this.call.once('cancelled', abandon);
    try {
      if (this.call.cancelled) return abandon();
      for (let next = await iterator.next(); !next.done && !this.call.cancelled; next = await iterator.next()) {
        await each(next.value);
      }
    } finally {
      this.call.off('cancelled', abandon);
    }
  }
}

const SAFE_REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * One log line per handled call, with how it ended, under the caller's
 * x-request-id when it is harmless (so logs join up across services), else a
 * new one. The id is passed explicitly, not through AsyncLocalStorage: on
 * Node 20 and 22 that hooks every promise of the process, hot path included.
 */
function callLog(ctx: GrpcContext, call: SurfaceCall) {
  const started = performance.now();
  const [given] = call.metadata.get('x-request-id');
  const requestId = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  const context = { method: call.getPath(), requestId };
  return {
    context,
    ended(code: status) {
      ctx.requestMetrics.grpcCall(call.getPath(), status[code]);
      ctx.logger.info({ ...context, status: status[code], ms: Math.round(performance.now() - started) }, 'grpc call completed');
    },
  };
}
