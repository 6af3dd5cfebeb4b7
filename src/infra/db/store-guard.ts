import { DomainError, isDomainError } from '../../domain/errors.js';

/**
 * Driver errors that mean "the database cannot be reached right now", as
 * opposed to a query the database refused: connection refused, reset or
 * lost, a full pool, a server shutting down.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_IOERR',
]);

export function isStoreUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, fatal, name, nativeError } = error as { code?: unknown; fatal?: unknown; name?: unknown; nativeError?: unknown };
  if (name === 'KnexTimeoutError' || fatal === true) return true;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return nativeError !== undefined && nativeError !== error && isStoreUnreachable(nativeError);
}

const unavailable = (cause: unknown) =>
  new DomainError('UNAVAILABLE', 'The database is unavailable; try again shortly', { cause });

/**
 * The store with a deadline on every call: while the database is frozen or
 * down, callers get UNAVAILABLE (retryable) within `timeoutMs` instead of
 * hanging, and driver errors that mean "unreachable" become UNAVAILABLE too.
 * A call that timed out may still complete later; every write the core makes
 * is guarded so that a late one changes nothing it should not.
 */
export function withStoreDeadline<T extends object>(store: T, timeoutMs: number): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => bounded(() => (value as (...a: unknown[]) => unknown).apply(target, args), timeoutMs);
    },
  });
}

function bounded(call: () => unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(unavailable(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
    const settle = (error: unknown) => {
      clearTimeout(timer);
      reject(!isDomainError(error) && isStoreUnreachable(error) ? unavailable(error) : error);
    };
    try {
      Promise.resolve(call()).then((value) => {
        clearTimeout(timer);
        resolve(value);
      }, settle);
    } catch (error) {
      settle(error);
    }
  });
}
