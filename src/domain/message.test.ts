import { describe, expect, it } from 'vitest';
import { finalStatusOf } from './message.js';

describe('finalStatusOf', () => {
  it('marks a reply that finished on its own COMPLETE', () => {
    expect(finalStatusOf({ finishReason: 'stop', deliveredText: 'hi' })).toBe('COMPLETE');
  });

  it('never marks a truncated or stopped reply COMPLETE', () => {
    expect(finalStatusOf({ finishReason: 'length', deliveredText: 'hi' })).toBe('INCOMPLETE');
    expect(finalStatusOf({ finishReason: 'stopped', deliveredText: '' })).toBe('INCOMPLETE');
    expect(finalStatusOf({ finishReason: 'content_filter', deliveredText: 'x' })).toBe('INCOMPLETE');
  });

  it('keeps delivered text of a failed reply as INCOMPLETE, and an empty one FAILED', () => {
    expect(finalStatusOf({ finishReason: 'error', deliveredText: 'partial' })).toBe('INCOMPLETE');
    expect(finalStatusOf({ finishReason: 'error', deliveredText: '' })).toBe('FAILED');
  });
});
