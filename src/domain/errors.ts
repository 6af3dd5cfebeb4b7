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
  'UPSTREAM_UNAVAILABLE',
  /** Our own store (or Redis) is unreachable or too slow: retryable. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Any failure reduced to a code and a message that is safe to show a client. */
export function toPublicError(error: unknown): { code: ErrorCode; message: string } {
  if (isDomainError(error)) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: 'Internal error' };
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const invalidInput = (message: string) => new DomainError('INVALID_INPUT', message);
