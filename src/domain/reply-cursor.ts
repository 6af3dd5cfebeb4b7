import { invalidInput } from './errors.js';

/**
 * A reply cursor is opaque to clients: the position in the reply's text
 * (UTF-16 code units) after the delta that carried it. Positions, unlike
 * delta counts, survive merging of deltas and checkpoints in the store, so
 * any replica can resume any reply from any cursor.
 */
const PREFIX = 'r1.';

export function encodeReplyCursor(offset: number): string {
  return `${PREFIX}${offset.toString(36)}`;
}

/** The position a cursor stands for; null (no cursor) is the start. */
export function decodeReplyCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const digits = cursor.startsWith(PREFIX) ? cursor.slice(PREFIX.length) : '';
  const offset = /^[0-9a-z]{1,11}$/.test(digits) ? Number.parseInt(digits, 36) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalidInput('Invalid reply cursor');
  return offset;
}
