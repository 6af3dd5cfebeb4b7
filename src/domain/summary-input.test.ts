import { describe, expect, it } from 'vitest';
import { longestPrefixThatFits, summaryInput, TRUNCATION_MARK, type SummarizableMessage } from './summary-input.js';
import { messageTokens, promptTokens } from './token-rules.js';

// One token per character keeps the arithmetic visible.
const count = (text: string) => text.length;
const message = (seq: number, content: string, role: SummarizableMessage['role'] = 'USER'): SummarizableMessage => ({ seq, role, content });
const countOf = (messages: readonly { role: 'SYSTEM' | 'USER'; content: string }[]) => promptTokens(messages.map((m) => messageTokens(m, count)));

describe('summaryInput', () => {
  it('has nothing to do when nothing is pending', () => {
    expect(summaryInput({ pending: [], inputBudget: 10_000, maxSummaryTokens: 100, count })).toBeUndefined();
  });

  it('folds the previous summary and every pending message that fits, and counts the request exactly', () => {
    const input = summaryInput({
      previousSummary: 'They met.',
      pending: [message(3, 'Hello'), message(4, 'Hi there', 'ASSISTANT')],
      inputBudget: 10_000,
      maxSummaryTokens: 100,
      count,
    })!;
    expect(input.coversThroughSeq).toBe(4);
    expect(input.folded).toBe(2);
    expect(input.truncated).toBe(false);
    expect(input.messages[0]!.role).toBe('SYSTEM');
    expect(input.messages[1]!.content).toContain('They met.');
    expect(input.messages[1]!.content).toContain('User: Hello\n\nAssistant: Hi there');
    expect(input.promptTokens).toBe(countOf(input.messages));
  });

  it('leaves a later message that does not fit for the next fold', () => {
    const base = summaryInput({ pending: [message(1, 'a')], inputBudget: 10_000, maxSummaryTokens: 100, count })!;
    const input = summaryInput({
      pending: [message(1, 'a'), message(2, 'b'.repeat(500))],
      inputBudget: base.promptTokens + 100,
      maxSummaryTokens: 100,
      count,
    })!;
    expect(input.folded).toBe(1);
    expect(input.coversThroughSeq).toBe(1);
    expect(input.promptTokens).toBeLessThanOrEqual(base.promptTokens + 100);
  });

  it('cuts a first message too large to fit alone instead of sending it whole', () => {
    const base = summaryInput({ pending: [message(7, '')], inputBudget: 10_000, maxSummaryTokens: 100, count })!;
    const budget = base.promptTokens + 50;
    const input = summaryInput({ pending: [message(7, 'x'.repeat(100_000))], inputBudget: budget, maxSummaryTokens: 100, count })!;
    expect(input.truncated).toBe(true);
    expect(input.coversThroughSeq).toBe(7);
    expect(input.promptTokens).toBe(budget);
    expect(input.messages[1]!.content).toContain(`User: ${'x'.repeat(50 - TRUNCATION_MARK.length)}${TRUNCATION_MARK}`);
  });

  it('gives up when the budget cannot hold any message', () => {
    expect(summaryInput({ pending: [message(1, 'hello')], inputBudget: 10, maxSummaryTokens: 100, count })).toBeUndefined();
  });
});

describe('longestPrefixThatFits', () => {
  it('finds the longest accepted prefix in whole code points', () => {
    expect(longestPrefixThatFits('ab😀cd', (p) => p.length <= 4)).toBe('ab😀');
    expect(longestPrefixThatFits('abc', () => false)).toBe('');
    expect(longestPrefixThatFits('abc', () => true)).toBe('abc');
  });
});
