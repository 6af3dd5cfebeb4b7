import { describe, expect, it } from 'vitest';
import { parseStopList } from './stop-list.js';

describe('parseStopList', () => {
  it('reads the Go service .env spelling ["\\super-end\\"] as one sequence with its backslashes', () => {
    expect(parseStopList('["\\super-end\\"]')).toEqual(['\\super-end\\']);
  });

  it('reads a JSON list, escapes included', () => {
    expect(parseStopList('["END", "a\\nb"]')).toEqual(['END', 'a\nb']);
  });

  it('reads a lenient list of several quoted items', () => {
    expect(parseStopList('["\\end\\", "\\stop\\"]')).toEqual(['\\end\\', '\\stop\\']);
  });

  it('reads a comma-separated list, bracketed or not', () => {
    expect(parseStopList('END, STOP')).toEqual(['END', 'STOP']);
    expect(parseStopList('[END, STOP]')).toEqual(['END', 'STOP']);
  });

  it('reads an empty list as no sequence', () => {
    expect(parseStopList('[]')).toEqual([]);
    expect(parseStopList('[""]')).toEqual([]);
  });
});
