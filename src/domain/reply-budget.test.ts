import { describe, expect, it } from 'vitest';
import type { ChatConfig } from './chat-config.js';
import { DomainError } from './errors.js';
import { KNOWN_MODELS, type ModelSpec } from './models.js';
import { assertReplyBudgetFits, configForModel, patchedConfig } from './reply-budget.js';

const gpt4 = KNOWN_MODELS.find((m) => m.name === 'gpt-4')!;
const tiny: ModelSpec = { ...gpt4, name: 'tiny', contextWindow: 400, maxOutputTokens: 4096 };
const sampling = { temperature: 1, topP: 1, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'TRUNCATE' } as const;
const config = (maxTokens: number): ChatConfig => ({ ...sampling, maxTokens });

describe('reply budgets', () => {
  it('defaults to 1024 tokens, a quarter of a small window, and never past what the model can produce', () => {
    expect(configForModel(sampling, gpt4).maxTokens).toBe(1024);
    expect(configForModel(sampling, tiny).maxTokens).toBe(100);
    expect(configForModel({ ...sampling, maxTokens: 50_000 }, gpt4).maxTokens).toBe(gpt4.maxOutputTokens);
  });

  it('refuses a budget that leaves no room for a prompt or exceeds the model output', () => {
    expect(() => assertReplyBudgetFits(config(8_191), gpt4)).not.toThrow();
    expect(() => assertReplyBudgetFits(config(8_192), gpt4)).toThrow(DomainError);
    expect(() => assertReplyBudgetFits(config(400), tiny)).toThrow(/at most 399 for tiny/);
  });

  it('applies a turn patch only after checking it against the model', () => {
    const base = config(100);
    expect(patchedConfig(base, undefined, gpt4)).toBe(base);
    expect(patchedConfig(base, { temperature: 0.2 }, gpt4)).toEqual({ ...base, temperature: 0.2 });
    expect(() => patchedConfig(base, { maxTokens: 9_000 }, gpt4)).toThrow(DomainError);
  });
});
