import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { KNOWN_MODELS } from './models.js';
import { BUILT_IN_PRICES, BUILT_IN_PRICES_DATE, PriceTable } from './prices.js';

const MTOK = 1_000_000;
/** The prices in force on the date the table claims, from @pydantic/genai-prices' bundled data (no network). */
const at = new Date(`${BUILT_IN_PRICES_DATE}T12:00:00Z`);
const reference = (usage: Parameters<typeof calcPrice>[0], model: string) => calcPrice(usage, model, { providerId: 'openai', timestamp: at });

describe(`the built-in price table (${BUILT_IN_PRICES_DATE})`, () => {
  it('prices every model of the registry', () => {
    expect(Object.keys(BUILT_IN_PRICES).sort()).toEqual(KNOWN_MODELS.map((m) => m.name).sort());
  });

  // A failure here means OpenAI's price changed (or the table was edited): update the table and its date.
  it.each(KNOWN_MODELS.map((m) => m.name))('%s matches @pydantic/genai-prices', (model) => {
    const ours = BUILT_IN_PRICES[model]!;
    const input = reference({ input_tokens: MTOK, output_tokens: 0 }, model);
    const cached = reference({ input_tokens: MTOK, cache_read_tokens: MTOK, output_tokens: 0 }, model);
    const output = reference({ input_tokens: 0, output_tokens: MTOK }, model);
    expect(input, `no reference price for ${model}`).not.toBeNull();
    expect(ours.inputPerMTok).toBeCloseTo(input!.input_price, 9);
    expect(ours.cachedInputPerMTok).toBeCloseTo(cached!.input_price, 9);
    expect(ours.outputPerMTok).toBeCloseTo(output!.output_price, 9);
  });
});

describe('PriceTable', () => {
  const table = PriceTable.builtIn();

  it('prices a dated snapshot as its family, the longest family first', () => {
    expect(table.priceOf('gpt-4o-mini-2024-07-18')).toEqual({ family: 'gpt-4o-mini', price: BUILT_IN_PRICES['gpt-4o-mini'] });
    expect(table.priceOf('gpt-4o-2024-08-06')?.family).toBe('gpt-4o');
    expect(table.priceOf('gpt-4o')?.family).toBe('gpt-4o');
  });

  it('has no price for a model nobody priced', () => {
    expect(table.priceOf('llama3.1:8b')).toBeUndefined();
    expect(table.priceOf('gpt-4ox')).toBeUndefined();
  });

  it('takes overrides and additions, and names them in its version', () => {
    const local = { inputPerMTok: 0.01, cachedInputPerMTok: 0.01, outputPerMTok: 0.02 };
    const discounted = { inputPerMTok: 0.1, cachedInputPerMTok: 0.05, outputPerMTok: 0.4 };
    const custom = table.withOverrides({ 'llama3.1:8b': local, 'gpt-4o-mini': discounted }, 'file-abc');
    expect(custom.version).toBe(`builtin-${BUILT_IN_PRICES_DATE}+file-abc`);
    expect(custom.priceOf('llama3.1:8b')?.price).toEqual(local);
    expect(custom.priceOf('gpt-4o-mini-2024-07-18')?.price).toEqual(discounted);
    expect(custom.priceOf('gpt-4o')?.price).toEqual(BUILT_IN_PRICES['gpt-4o']);
  });
});
