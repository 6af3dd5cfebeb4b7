import { status, type handleUnaryCall, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Caller } from '../auth/authenticator.js';
import { callLog } from './call-log.js';
import type { GrpcContext } from './grpc-context.js';
import { toGrpcStatus } from './grpc-errors.js';

/**
 * Wraps a unary implementation into a grpc-js handler: `implementation` gets
 * the typed request and the authenticated caller, returns the response or
 * throws; errors become statuses, and every call is logged, in one place.
 */
export function unaryCall<Req, Res>(
  ctx: GrpcContext,
  implementation: (request: Req, caller: Caller, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const log = callLog(ctx, call);
    void (async () => {
      try {
        const response = await implementation(call.request, ctx.auth.callerOf(call), call);
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
