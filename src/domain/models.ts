export type Encoding = 'cl100k_base' | 'o200k_base';

export interface ModelSpec {
  readonly name: string;
  /** Prompt plus reply, in tokens, as OpenAI documents it. */
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  readonly encoding: Encoding;
  /**
   * Reasoning models (o-series, gpt-5) take `max_completion_tokens` and
   * reject temperature, top_p and the penalties.
   */
  readonly reasoning: boolean;
}

const spec = (
  name: string,
  contextWindow: number,
  maxOutputTokens: number,
  encoding: Encoding,
  reasoning = false,
): ModelSpec => ({ name, contextWindow, maxOutputTokens, encoding, reasoning });

/** The OpenAI chat families in use, with the limits from OpenAI's model pages. */
export const KNOWN_MODELS: readonly ModelSpec[] = [
  spec('gpt-3.5-turbo', 16_385, 4_096, 'cl100k_base'),
  spec('gpt-4', 8_192, 8_192, 'cl100k_base'),
  spec('gpt-4-32k', 32_768, 8_192, 'cl100k_base'),
  spec('gpt-4-turbo', 128_000, 4_096, 'cl100k_base'),
  spec('gpt-4o', 128_000, 16_384, 'o200k_base'),
  spec('gpt-4o-mini', 128_000, 16_384, 'o200k_base'),
  spec('gpt-4.1', 1_047_576, 32_768, 'o200k_base'),
  spec('gpt-4.1-mini', 1_047_576, 32_768, 'o200k_base'),
  spec('gpt-4.1-nano', 1_047_576, 32_768, 'o200k_base'),
  spec('o1', 200_000, 100_000, 'o200k_base', true),
  spec('o1-mini', 128_000, 65_536, 'o200k_base', true),
  spec('o3', 200_000, 100_000, 'o200k_base', true),
  spec('o3-mini', 200_000, 100_000, 'o200k_base', true),
  spec('o4-mini', 200_000, 100_000, 'o200k_base', true),
  spec('gpt-5', 400_000, 128_000, 'o200k_base', true),
  spec('gpt-5-mini', 400_000, 128_000, 'o200k_base', true),
  spec('gpt-5-nano', 400_000, 128_000, 'o200k_base', true),
];

export interface ModelCatalogOptions {
  /** MODEL_MAX_TOKENS: caps every model's window, and is the window of unknown models. */
  readonly contextWindowOverride?: number | undefined;
  /** Window for models we know nothing about when no override is set. */
  readonly unknownModelWindow: number;
}

export interface ResolvedModel {
  readonly spec: ModelSpec;
  /** False when the name matched no known family and defaults were used. */
  readonly known: boolean;
}

/** A model name is letters, digits and the separators model ids use. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/;

export class ModelCatalog {
  private readonly byName = new Map(KNOWN_MODELS.map((m) => [m.name, m]));
  // Longest first, so 'gpt-4o-mini-2024-07-18' matches gpt-4o-mini, not gpt-4o or gpt-4.
  private readonly prefixes = [...KNOWN_MODELS].sort((a, b) => b.name.length - a.name.length);

  constructor(private readonly options: ModelCatalogOptions) {}

  /** Known families, with the effective window. */
  list(): ModelSpec[] {
    return KNOWN_MODELS.map((m) => this.applyOverride(m));
  }

  /**
   * Dated snapshots (`gpt-4o-2024-08-06`) resolve to their family. Unknown
   * names resolve to o200k_base and the configured window rather than fail,
   * so any OpenAI-compatible server's models work.
   */
  resolve(name: string): ResolvedModel {
    const family =
      this.byName.get(name) ?? this.prefixes.find((m) => name.startsWith(`${m.name}-`));
    if (family) return { spec: this.applyOverride({ ...family, name }), known: true };
    const window = this.options.contextWindowOverride ?? this.options.unknownModelWindow;
    return {
      spec: { name, contextWindow: window, maxOutputTokens: window, encoding: 'o200k_base', reasoning: false },
      known: false,
    };
  }

  private applyOverride(model: ModelSpec): ModelSpec {
    const override = this.options.contextWindowOverride;
    if (override === undefined) return model;
    return { ...model, contextWindow: Math.min(model.contextWindow, override) };
  }
}
