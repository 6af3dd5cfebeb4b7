import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { decodeReplyCursor, encodeReplyCursor } from './reply-cursor.js';

describe('reply cursors', () => {
  it('round-trip every position', () => {
    for (const offset of [0, 1, 35, 36, 1_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(decodeReplyCursor(encodeReplyCursor(offset))).toBe(offset);
    }
  });

  it('treat no cursor as the start', () => {
    expect(decodeReplyCursor(null)).toBe(0);
    expect(decodeReplyCursor(undefined)).toBe(0);
  });

  it.each(['', 'r1.', '12', 'r1.-1', 'r1.A', 'r1.1 ', 'r2.1', 'r1.zzzzzzzzzzzz'])('refuse %j as INVALID_INPUT', (cursor) => {
    expect(() => decodeReplyCursor(cursor)).toThrow(DomainError);
    try {
      decodeReplyCursor(cursor);
    } catch (error) {
      expect((error as DomainError).code).toBe('INVALID_INPUT');
    }
  });
});
