import { randomUUID } from 'node:crypto';

/** Short, and nothing that could forge a log line or a header. */
const SAFE_REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * The id a request is logged under: the caller's x-request-id when it is
 * harmless, so logs join up across services; else a new one. The same rule
 * for HTTP headers and gRPC metadata.
 */
export function requestIdOf(given: unknown): string {
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}
