/**
 * Expected failures of the chat core. Every channel maps these codes to its
 * own protocol in one place; the codes themselves are part of the public API.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'INVALID_INPUT',
  'MESSAGE_TOO_LARGE',
  'CHAT_ENDED',
  'CHAT_BUSY',
  'RATE_LIMITED',
  /** A user's token or money budget for the period is spent (see user-limits.ts). */
  'QUOTA_EXCEEDED',
  'UPSTREAM_UNAVAILABLE',
  /** Our own store (or Redis) is unreachable or too slow: retryable. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  /** RATE_LIMITED / QUOTA_EXCEEDED: how long to wait before trying again, when known. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Whole seconds to wait before a retry (at least 1), for Retry-After headers and metadata. */
export const retryAfterSeconds = (error: DomainError): number | undefined =>
  error.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000));

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Any failure reduced to a code and a message that is safe to show a client. */
export function toPublicError(error: unknown): { code: ErrorCode; message: string } {
  if (isDomainError(error)) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: 'Internal error' };
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const invalidInput = (message: string) => new DomainError('INVALID_INPUT', message);
