import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MODEL_NAME_PATTERN } from '../../domain/models.js';
import { MAX_PRICE_PER_MTOK, PRICE_DECIMALS, PriceTable, type ModelPrice } from '../../domain/prices.js';

const SCALE = 10 ** PRICE_DECIMALS;

const usdPerMTok = z
  .number()
  .min(0)
  .max(MAX_PRICE_PER_MTOK, `must be at most ${MAX_PRICE_PER_MTOK} (USD per million tokens)`)
  .refine((n) => Math.abs(Math.round(n * SCALE) - n * SCALE) < 1e-6, `at most ${PRICE_DECIMALS} decimals`);

const pricesFile = z.record(z.string(), z.strictObject({ input: usdPerMTok, cachedInput: usdPerMTok.optional(), output: usdPerMTok }));

/**
 * The built-in prices, with MODEL_PRICES_FILE's entries added or replacing
 * them: `{ "<model>": { "input": 0.15, "cachedInput": 0.075, "output": 0.6 } }`
 * in USD per million tokens (cachedInput defaults to input). The table's
 * version names the file's content, so ledger rows say which prices they used.
 */
export async function loadPriceTable(file: string | undefined): Promise<PriceTable> {
  const builtIn = PriceTable.builtIn();
  if (file === undefined) return builtIn;
  let text: string;
  let json: unknown;
  try {
    text = await readFile(file, 'utf8');
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`MODEL_PRICES_FILE: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  const parsed = pricesFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`MODEL_PRICES_FILE: ${file}: [${issue.path.join('.')}] ${issue.message}`);
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, { input, cachedInput, output }] of Object.entries(parsed.data)) {
    if (!MODEL_NAME_PATTERN.test(model)) throw new Error(`MODEL_PRICES_FILE: ${file}: ${JSON.stringify(model)} is not a model name`);
    prices[model] = { inputPerMTok: input, cachedInputPerMTok: cachedInput ?? input, outputPerMTok: output };
  }
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return builtIn.withOverrides(prices, `file-${digest}`);
}
