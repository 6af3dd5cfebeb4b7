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
 * down, callers get UNAVAILABLE (retryable) within about `timeoutMs` instead
 * of hanging, and driver errors that mean "unreachable" become UNAVAILABLE
 * too. A call that timed out may still complete later; every write the core
 * makes is guarded so that a late one changes nothing it should not.
 */
export function withStoreDeadline<T extends object>(store: T, timeoutMs: number): T {
  const deadlines = new Deadlines(timeoutMs);
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => deadlines.bound(() => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

/**
 * Calls in flight and when each must have answered. One coarse timer checks
 * them all (a tenth of the timeout apart, only while calls are in flight),
 * instead of a timer set and cleared around every query of the hot path.
 */
class Deadlines {
  private readonly pending = new Set<{ readonly due: number; readonly fail: (error: Error) => void }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {}

  bound(call: () => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const entry = { due: Date.now() + this.timeoutMs, fail: reject };
      this.pending.add(entry);
      this.watch();
      const settle = (error: unknown) => {
        this.pending.delete(entry);
        reject(!isDomainError(error) && isStoreUnreachable(error) ? unavailable(error) : error);
      };
      try {
        Promise.resolve(call()).then((value) => {
          this.pending.delete(entry);
          resolve(value);
        }, settle);
      } catch (error) {
        settle(error);
      }
    });
  }

  private watch(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.expire(), Math.max(10, Math.floor(this.timeoutMs / 10)));
    this.timer.unref();
  }

  private expire(): void {
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.due > now) continue;
      this.pending.delete(entry);
      entry.fail(unavailable(new Error(`no answer within ${this.timeoutMs} ms`)));
    }
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
