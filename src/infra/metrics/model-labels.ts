import { KNOWN_MODELS } from '../../domain/models.js';

/**
 * Model names as metric labels, from a bounded set: callers may name any
 * dated snapshot of a family (`gpt-4o-2024-08-06`, or anything after
 * `gpt-4o-`), and every distinct label value is a new time series, so a
 * name is reported as its family, or as `other` when it is none we know.
 */
export class ModelLabels {
  private readonly names: ReadonlySet<string>;
  private readonly families: readonly string[];

  constructor(extraNames: Iterable<string> = []) {
    this.names = new Set([...KNOWN_MODELS.map((m) => m.name), ...extraNames]);
    this.families = [...this.names].sort((a, b) => b.length - a.length);
  }

  of(model: string): string {
    if (this.names.has(model)) return model;
    return this.families.find((family) => model.startsWith(`${family}-`)) ?? 'other';
  }
}
