import { describe, expect, it } from 'vitest';
import { parseAuthorization } from './authorization-header.js';

describe('parseAuthorization, the one credential rule of every channel', () => {
  it.each([
    ['tok-123', 'tok-123'],
    ['Bearer tok-123', 'tok-123'],
    ['bearer tok-123', 'tok-123'],
    ['BEARER   tok-123', 'tok-123'],
    ['Bearer tok-123 ', 'tok-123'],
    ['  Bearer tok-123\t', 'tok-123'],
    [' tok-123 ', 'tok-123'],
  ])('reads %j as the token %j', (value, token) => {
    expect(parseAuthorization(value)).toBe(token);
  });

  it.each([undefined, '', '   ', 'Bearer', 'Bearer ', 'bearer\t'])('finds no token in %j', (value) => {
    expect(parseAuthorization(value)).toBeUndefined();
  });

  it('keeps a token that merely starts with "Bearer"', () => {
    expect(parseAuthorization('Bearertok')).toBe('Bearertok');
  });
});
