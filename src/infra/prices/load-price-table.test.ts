import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_IN_PRICES } from '../../domain/prices.js';
import { loadPriceTable } from './load-price-table.js';

const dir = mkdtempSync(join(tmpdir(), 'chatservice-prices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('MODEL_PRICES_FILE', () => {
  it('is the built-in table without a file', async () => {
    const table = await loadPriceTable(undefined);
    expect(table.version).toMatch(/^builtin-\d{4}-\d{2}-\d{2}$/);
    expect(table.priceOf('gpt-4o')?.price).toEqual(BUILT_IN_PRICES['gpt-4o']);
  });

  it('adds and overrides models; cachedInput defaults to input; the version names the content', async () => {
    const path = file('prices.json', JSON.stringify({ 'llama3.1:8b': { input: 0.05, output: 0.08 }, 'gpt-4o-mini': { input: 0.1, cachedInput: 0.05, output: 0.4 } }));
    const table = await loadPriceTable(path);
    expect(table.priceOf('llama3.1:8b')?.price).toEqual({ inputPerMTok: 0.05, cachedInputPerMTok: 0.05, outputPerMTok: 0.08 });
    expect(table.priceOf('gpt-4o-mini-2024-07-18')?.price).toEqual({ inputPerMTok: 0.1, cachedInputPerMTok: 0.05, outputPerMTok: 0.4 });
    expect(table.version).toMatch(/^builtin-\d{4}-\d{2}-\d{2}\+file-[0-9a-f]{12}$/);
  });

  it.each([
    ['not JSON', '{ nope', /cannot read .* as JSON/],
    ['a negative price', JSON.stringify({ m: { input: -1, output: 1 } }), /\[m\.input\]/],
    ['a price per token instead of per million', JSON.stringify({ m: { input: 150000, output: 1 } }), /at most 10000/],
    ['more than 6 decimals', JSON.stringify({ m: { input: 0.0000001, output: 1 } }), /6 decimals/],
    ['an unknown key', JSON.stringify({ m: { input: 1, output: 1, inputCached: 1 } }), /inputCached/],
    ['a bad model name', JSON.stringify({ ' m': { input: 1, output: 1 } }), /model name/],
  ])('refuses %s, naming MODEL_PRICES_FILE', async (_what, content, message) => {
    await expect(loadPriceTable(file(`bad-${Math.random()}.json`, content))).rejects.toThrow(/^MODEL_PRICES_FILE: /);
    await expect(loadPriceTable(file(`bad-${Math.random()}.json`, content))).rejects.toThrow(message);
  });
});
