import { describe, expect, it } from 'vitest';
import { assertNestingWithin } from './nesting-limit.js';

const limits = { maxNesting: 4, maxTokens: 100 };

describe('assertNestingWithin', () => {
  it('admits a document nested as deep as the limit', () => {
    expect(() => assertNestingWithin('{ a(b: [[1]]) }', limits)).not.toThrow();
  });

  it('refuses one level deeper, with INVALID_INPUT', () => {
    expect(() => assertNestingWithin('{ a(b: [[[1]]]) }', limits)).toThrow(
      expect.objectContaining({ message: 'Syntax Error: Nesting limit of 4 exceeded.', extensions: { code: 'INVALID_INPUT' } }),
    );
  });

  it('refuses 100,000 open brackets without a stack overflow', () => {
    expect(() => assertNestingWithin(`{ a(b: ${'['.repeat(100_000)}) }`, { maxNesting: 32, maxTokens: 200_000 })).toThrow(/Nesting limit/);
  });

  it('does not count brackets inside strings, block strings or comments', () => {
    expect(() => assertNestingWithin('{ a(b: "[[[[[[", c: """{{{{{{""") } # ((((((((', limits)).not.toThrow();
  });

  it('leaves lexical errors and token counting to the parser', () => {
    expect(() => assertNestingWithin('{ a(b: "unterminated', limits)).not.toThrow();
    expect(() => assertNestingWithin(`${'{ a '.repeat(3)}${'['.repeat(50)}`, { maxNesting: 4, maxTokens: 5 })).not.toThrow();
  });
});
