import { describe, expect, it } from 'vitest';
import { fitContextWindow } from './context-window.js';
import { DomainError } from './errors.js';

const msg = (id: string, tokenCount: number) => ({ id, tokenCount });
const system = msg('system', 20);

describe('fitContextWindow', () => {
  it('keeps everything when it all fits, system prompt first', () => {
    const history = [msg('a', 10), msg('b', 10), msg('c', 10)];
    const fit = fitContextWindow({ system, history, contextWindow: 100, replyBudget: 30 });
    expect(fit.prompt.map((m) => m.id)).toEqual(['system', 'a', 'b', 'c']);
    expect(fit.erased).toEqual([]);
    expect(fit.promptTokens).toBe(3 + 20 + 30);
  });

  it('drops the oldest messages first so that prompt + reply budget fits the window', () => {
    const history = [msg('a', 10), msg('b', 10), msg('c', 10), msg('d', 10)];
    // budget for history: 100 - 50 (reply) - 3 (priming) - 20 (system) = 27 -> two messages
    const fit = fitContextWindow({ system, history, contextWindow: 100, replyBudget: 50 });
    expect(fit.prompt.map((m) => m.id)).toEqual(['system', 'c', 'd']);
    expect(fit.erased.map((m) => m.id)).toEqual(['a', 'b']);
    expect(fit.promptTokens + 50).toBeLessThanOrEqual(100);
  });

  it('never brings back a dropped message by skipping over a larger newer one', () => {
    const history = [msg('small-old', 1), msg('big', 25), msg('new', 2)];
    const fit = fitContextWindow({ system, history, contextWindow: 100, replyBudget: 50 });
    expect(fit.prompt.map((m) => m.id)).toEqual(['system', 'big', 'new']);
    expect(fit.erased.map((m) => m.id)).toEqual(['small-old']);
  });

  it('accepts a message that fills the window exactly', () => {
    const fit = fitContextWindow({ system, history: [msg('exact', 27)], contextWindow: 100, replyBudget: 50 });
    expect(fit.promptTokens + 50).toBe(100);
  });

  it('rejects a message that cannot fit even alone with MESSAGE_TOO_LARGE', () => {
    const attempt = () => fitContextWindow({ system, history: [msg('huge', 28)], contextWindow: 100, replyBudget: 50 });
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
  });
});
