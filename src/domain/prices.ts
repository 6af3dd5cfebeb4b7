/**
 * What the model provider charges, per model: USD per million input,
 * cached-input and output tokens (as providers publish them). Reasoning
 * tokens are billed as output and are part of the completion count.
 */
export interface ModelPrice {
  readonly inputPerMTok: number;
  /** Prompt tokens served from the provider's cache; the input price where there is no discount. */
  readonly cachedInputPerMTok: number;
  readonly outputPerMTok: number;
}

/** The day the built-in table was checked against @pydantic/genai-prices (src/domain/prices.test.ts pins it). */
export const BUILT_IN_PRICES_DATE = '2026-11-28';

const price = (inputPerMTok: number, cachedInputPerMTok: number, outputPerMTok: number): ModelPrice => ({
  inputPerMTok,
  cachedInputPerMTok,
  outputPerMTok,
});

/** OpenAI's list prices for every model family of the registry (src/domain/models.ts), standard tier. */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-3.5-turbo': price(0.5, 0.5, 1.5),
  'gpt-4': price(30, 30, 60),
  'gpt-4-32k': price(60, 60, 120),
  'gpt-4-turbo': price(10, 10, 30),
  'gpt-4o': price(2.5, 1.25, 10),
  'gpt-4o-mini': price(0.15, 0.075, 0.6),
  'gpt-4.1': price(2, 0.5, 8),
  'gpt-4.1-mini': price(0.4, 0.1, 1.6),
  'gpt-4.1-nano': price(0.1, 0.025, 0.4),
  o1: price(15, 7.5, 60),
  'o1-mini': price(1.1, 0.55, 4.4),
  o3: price(2, 0.5, 8),
  'o3-mini': price(1.1, 0.55, 4.4),
  'o4-mini': price(1.1, 0.275, 4.4),
  'gpt-5': price(1.25, 0.125, 10),
  'gpt-5-mini': price(0.25, 0.025, 2),
  'gpt-5-nano': price(0.05, 0.005, 0.4),
};

/** The most a price may be, in USD per million tokens: a typo (per token instead of per million) fails loudly. */
export const MAX_PRICE_PER_MTOK = 10_000;

/** Prices are kept to this many decimals of a dollar per million tokens (one pico-dollar per token). */
export const PRICE_DECIMALS = 6;

/** A model's price as the table resolved it: `family` is the table entry that matched. */
export interface PricedModel {
  readonly family: string;
  readonly price: ModelPrice;
}

/**
 * The prices in force: the built-in table, plus MODEL_PRICES_FILE's entries
 * (which override or add models). A dated snapshot (`gpt-4o-2024-08-06`)
 * takes its family's price, the longest matching family first, as the model
 * registry resolves names. `version` names the table, for the ledger.
 */
export class PriceTable {
  private readonly byName: ReadonlyMap<string, ModelPrice>;
  private readonly families: readonly string[];

  private constructor(
    prices: Readonly<Record<string, ModelPrice>>,
    readonly version: string,
  ) {
    this.byName = new Map(Object.entries(prices));
    this.families = [...this.byName.keys()].sort((a, b) => b.length - a.length);
  }

  static builtIn(): PriceTable {
    return new PriceTable(BUILT_IN_PRICES, `builtin-${BUILT_IN_PRICES_DATE}`);
  }

  /** This table with `prices` added or replacing entries; `source` goes into the version (e.g. `file-1a2b3c4d`). */
  withOverrides(prices: Readonly<Record<string, ModelPrice>>, source: string): PriceTable {
    return new PriceTable({ ...Object.fromEntries(this.byName), ...prices }, `${this.version}+${source}`);
  }

  /** Undefined for a model nobody priced: it costs nothing (its tokens still count). */
  priceOf(model: string): PricedModel | undefined {
    const exact = this.byName.get(model);
    if (exact !== undefined) return { family: model, price: exact };
    const family = this.families.find((name) => model.startsWith(`${name}-`));
    return family === undefined ? undefined : { family, price: this.byName.get(family)! };
  }

  /** Every priced model name (built in and from the file). */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
