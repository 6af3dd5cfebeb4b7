import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { isDomainError, retryAfterSeconds, toPublicError, type ErrorCode } from '../../domain/errors.js';
import type { Logger } from '../../use-cases/ports.js';

/** DESIGN §2: the one mapping of the stable error codes to gRPC status codes. */
export const GRPC_STATUS: Record<ErrorCode, status> = {
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  NOT_FOUND: status.NOT_FOUND,
  INVALID_INPUT: status.INVALID_ARGUMENT,
  MESSAGE_TOO_LARGE: status.INVALID_ARGUMENT,
  CHAT_ENDED: status.FAILED_PRECONDITION,
  CHAT_BUSY: status.ABORTED,
  RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  QUOTA_EXCEEDED: status.RESOURCE_EXHAUSTED,
  UPSTREAM_UNAVAILABLE: status.UNAVAILABLE,
  UNAVAILABLE: status.UNAVAILABLE,
  INTERNAL: status.INTERNAL,
};

/**
 * Trailing metadata carrying the stable code, for clients that need more than
 * the gRPC code (INVALID_ARGUMENT is both INVALID_INPUT and MESSAGE_TOO_LARGE).
 */
export const ERROR_CODE_METADATA_KEY = 'chatservice-error-code';

/** Trailing metadata with the seconds to wait before retrying (RATE_LIMITED, QUOTA_EXCEEDED), like HTTP's Retry-After. */
export const RETRY_AFTER_METADATA_KEY = 'retry-after';

/**
 * Any failure as a gRPC status: DomainErrors keep their short message,
 * anything else is logged here and reported as INTERNAL without details.
 */
export function toGrpcStatus(error: unknown, logger: Logger, context: object = {}): StatusObject {
  const { code, message } = toPublicError(error);
  if (code === 'INTERNAL') logger.error({ ...context, err: error }, 'grpc call failed');
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, code);
  const retryAfter = isDomainError(error) ? retryAfterSeconds(error) : undefined;
  if (retryAfter !== undefined) metadata.set(RETRY_AFTER_METADATA_KEY, String(retryAfter));
  return { code: GRPC_STATUS[code], details: message, metadata };
}
