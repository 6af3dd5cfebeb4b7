import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, retryAfterSeconds, toPublicError, type ErrorCode } from '../../domain/errors.js';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  MESSAGE_TOO_LARGE: 413,
  CHAT_ENDED: 409,
  CHAT_BUSY: 409,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  UPSTREAM_UNAVAILABLE: 502,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, status = HTTP_STATUS[code]) {
  const body: ErrorBody = { error: { code, message } };
  return reply.status(status).type('application/json').send(body);
}

/**
 * Fastify's own request errors (bad JSON, wrong content type, body too big)
 * and our DomainErrors, mapped to `{ error: { code, message } }`. Anything
 * else is logged and reported as INTERNAL, without details.
 */
export function handleHttpError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) {
    const retryAfter = retryAfterSeconds(error);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return sendError(reply, error.code, error.message);
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 'MESSAGE_TOO_LARGE', 'The request body is too large', 413);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 'INVALID_INPUT', 'Unsupported content type; send application/json', 415);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'INVALID_INPUT', 'The request body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, 'INVALID_INPUT', 'The request body is not valid JSON');
  }
  if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
    return sendError(reply, 'INVALID_INPUT', 'The request body is not valid JSON');
  }
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, 'INTERNAL', toPublicError(error).message);
}
