import { describe, expect, it } from 'vitest';
import { checkUserId } from './user-id.js';

describe('checkUserId', () => {
  it.each(['alice', 'ALICE', 'whatsapp:+14155550100', 'user@example.com', 'Zoë 😀', 'a b'])('accepts %j as it is', (userId) => {
    expect(checkUserId(userId)).toBe(userId);
  });

  it.each(['alice ', ' alice', 'alice\u0000', 'alice\n', '\talice', 'ali\u0007ce', 'alice\u00a0', '\u2028alice', 'alice\u0085', '\ufeffalice'])(
    'refuses %j with INVALID_INPUT',
    (userId) => {
      expect(() => checkUserId(userId)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    },
  );

  it('refuses an empty or over-long id', () => {
    expect(() => checkUserId('')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => checkUserId('a'.repeat(201))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
