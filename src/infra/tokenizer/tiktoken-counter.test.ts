import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../domain/models.js';
import { messageTokens, promptTokens, type ChatFormatMessage } from '../../domain/token-rules.js';
import { TiktokenCounter } from './tiktoken-counter.js';

// The example conversation of OpenAI's cookbook "How to count tokens with
// tiktoken" (section 6), whose usage.prompt_tokens the API reported as 129
// for gpt-3.5-turbo and gpt-4 (cl100k_base) and 124 for gpt-4o and
// gpt-4o-mini (o200k_base).
const COOKBOOK_MESSAGES: ChatFormatMessage[] = [
  {
    role: 'SYSTEM',
    content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  { role: 'SYSTEM', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'SYSTEM', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  {
    role: 'SYSTEM',
    name: 'example_user',
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'SYSTEM',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: 'USER',
    content: "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

function cookbookPromptTokens(counter: TiktokenCounter, encoding: Encoding): number {
  const count = (text: string) => counter.count(text, encoding);
  return promptTokens(COOKBOOK_MESSAGES.map((m) => messageTokens(m, count)));
}

describe('TiktokenCounter', () => {
  // Building an encoder takes a moment; one counter serves the whole file.
  const counter = new TiktokenCounter();

  it('counts the cookbook conversation as the API billed it for gpt-3.5-turbo and gpt-4 (cl100k_base): 129', () => {
    expect(cookbookPromptTokens(counter, 'cl100k_base')).toBe(129);
  });

  it('counts the cookbook conversation as the API billed it for gpt-4o and gpt-4o-mini (o200k_base): 124', () => {
    expect(cookbookPromptTokens(counter, 'o200k_base')).toBe(124);
  });

  // Counts printed in the same cookbook notebook (sections 3 and 5).
  it.each([
    ['tiktoken is great!', 6, 6],
    ['antidisestablishmentarianism', 6, 6],
    ['2 + 2 = 4', 7, 7],
    ['お誕生日おめでとう', 9, 8],
    ['hello world', 2, 2],
    ['', 0, 0],
  ])('counts %j as %i tokens in cl100k_base and %i in o200k_base', (text, cl100k, o200k) => {
    expect(counter.count(text, 'cl100k_base')).toBe(cl100k);
    expect(counter.count(text, 'o200k_base')).toBe(o200k);
  });

  it('treats special-token text in user content as ordinary text instead of throwing', () => {
    expect(counter.count('<|endoftext|>', 'cl100k_base')).toBeGreaterThan(1);
    expect(counter.count('say <|im_start|> twice', 'o200k_base')).toBeGreaterThan(3);
  });
});
