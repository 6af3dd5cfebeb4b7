import { describe, expect, it } from 'vitest';
import { requestIdOf } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it("keeps a caller's harmless id", () => {
    expect(requestIdOf('req-42:a.b_c')).toBe('req-42:a.b_c');
  });

  it('replaces a missing, repeated, too long or unsafe id with a new one', () => {
    for (const given of [undefined, '', ['a', 'b'], Buffer.from('abc'), 'x'.repeat(65), 'a b', 'a\nlevel=error', '<script>']) {
      expect(requestIdOf(given)).toMatch(UUID);
    }
  });
});
