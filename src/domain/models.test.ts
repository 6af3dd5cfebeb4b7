import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './models.js';

describe('ModelCatalog', () => {
  const catalog = new ModelCatalog({ unknownModelWindow: 8192 });

  it.each([
    ['gpt-3.5-turbo', 'cl100k_base', 16_385],
    ['gpt-4', 'cl100k_base', 8_192],
    ['gpt-4-turbo', 'cl100k_base', 128_000],
    ['gpt-4o', 'o200k_base', 128_000],
    ['gpt-4o-mini', 'o200k_base', 128_000],
    ['gpt-4.1-mini', 'o200k_base', 1_047_576],
    ['o3', 'o200k_base', 200_000],
    ['gpt-5', 'o200k_base', 400_000],
  ])('knows %s: %s, %i tokens', (name, encoding, window) => {
    const { spec, known } = catalog.resolve(name);
    expect(known).toBe(true);
    expect(spec.encoding).toBe(encoding);
    expect(spec.contextWindow).toBe(window);
  });

  it('resolves a dated snapshot to the longest matching family', () => {
    expect(catalog.resolve('gpt-4o-mini-2024-07-18').spec).toMatchObject({ name: 'gpt-4o-mini-2024-07-18', maxOutputTokens: 16_384, encoding: 'o200k_base' });
    expect(catalog.resolve('gpt-4-0613').spec.encoding).toBe('cl100k_base');
    expect(catalog.resolve('gpt-4-turbo-2024-04-09').spec.contextWindow).toBe(128_000);
  });

  it('marks reasoning models, which take max_completion_tokens', () => {
    expect(catalog.resolve('o4-mini').spec.reasoning).toBe(true);
    expect(catalog.resolve('gpt-5-nano').spec.reasoning).toBe(true);
    expect(catalog.resolve('gpt-4.1').spec.reasoning).toBe(false);
  });

  it('falls back to o200k_base and the configured window for an unknown model', () => {
    const { spec, known } = catalog.resolve('llama3.1:8b');
    expect(known).toBe(false);
    expect(spec).toMatchObject({ name: 'llama3.1:8b', encoding: 'o200k_base', contextWindow: 8192 });
  });

  it('caps every window with MODEL_MAX_TOKENS and uses it for unknown models', () => {
    const capped = new ModelCatalog({ unknownModelWindow: 8192, contextWindowOverride: 200 });
    expect(capped.resolve('gpt-4o').spec.contextWindow).toBe(200);
    expect(capped.resolve('mistral').spec.contextWindow).toBe(200);
    expect(capped.list().every((m) => m.contextWindow === 200)).toBe(true);
  });
});
