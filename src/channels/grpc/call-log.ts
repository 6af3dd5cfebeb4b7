import { status, type ServerUnaryCall } from '@grpc/grpc-js';
import { requestIdOf } from '../request-id.js';
import type { GrpcContext } from './grpc-context.js';

/** What unary and server-streaming calls have in common: metadata and a path. */
type AnyCall = Pick<ServerUnaryCall<unknown, unknown>, 'metadata' | 'getPath'>;

/**
 * One log line (and one metrics count) per handled call, with how it ended,
 * under the caller's x-request-id when it is harmless. The id is passed
 * explicitly, not through AsyncLocalStorage: on Node 20 and 22 that hooks
 * every promise of the process, hot path included.
 */
export function callLog(ctx: GrpcContext, call: AnyCall) {
  const started = performance.now();
  const context = { method: call.getPath(), requestId: requestIdOf(call.metadata.get('x-request-id')[0]) };
  return {
    context,
    ended(code: status) {
      ctx.requestMetrics.grpcCall(call.getPath(), status[code]);
      ctx.logger.info({ ...context, status: status[code], ms: Math.round(performance.now() - started) }, 'grpc call completed');
    },
  };
}
