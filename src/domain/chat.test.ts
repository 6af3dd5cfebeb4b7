import { describe, expect, it } from 'vitest';
import { normalizeTitle, titleFromFirstMessage } from './chat.js';

describe('chat titles', () => {
  it('folds white space and rejects an empty title', () => {
    expect(normalizeTitle('  Trip\n to   Lisbon ')).toBe('Trip to Lisbon');
    expect(() => normalizeTitle(' \t ')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('names a chat after its first message without splitting a character', () => {
    const title = titleFromFirstMessage('😀'.repeat(100));
    expect(Array.from(title)).toHaveLength(60);
    expect(title.endsWith('…')).toBe(true);
    expect(Buffer.from(title, 'utf8').toString('utf8')).toBe(title); // no lone surrogate
  });
});
