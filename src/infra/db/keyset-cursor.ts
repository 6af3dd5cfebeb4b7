import { invalidInput } from '../../domain/errors.js';

/**
 * Keyset cursors: the sort key of the last row of a page, as base64url JSON
 * tagged with the list it pages, so a cursor of one list is refused by
 * another (INVALID_INPUT) instead of silently paging wrong. Opaque to callers.
 */
type Part = 'integer' | 'string';
type Value<P extends Part> = P extends 'integer' ? number : string;
type Values<S extends readonly Part[]> = { [K in keyof S]: Value<S[K]> };

export function encodeCursor(kind: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...key]), 'utf8').toString('base64url');
}

export function decodeCursor<const S extends readonly Part[]>(kind: string, cursor: string, shape: S): Values<S> {
  let parts: unknown;
  try {
    if (cursor.length > 1_024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not a cursor');
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || parts.length !== shape.length + 1 || parts[0] !== kind) throw invalidInput('Invalid cursor');
  const key = parts.slice(1);
  const fits = shape.every((part, index) => (part === 'integer' ? Number.isSafeInteger(key[index]) : typeof key[index] === 'string'));
  if (!fits) throw invalidInput('Invalid cursor');
  return key as Values<S>;
}
