import { invalidInput } from '../../../src/domain/errors.js';
import type { Page } from '../../../src/use-cases/ports.js';

/**
 * One page of rows already filtered to those after the cursor and sorted:
 * the first `first` of them, and whether more follow (the knex adapters ask
 * for `first + 1` rows to know). Cursors are made from the rows, as the
 * knex adapters make them, so a cursor of either store reads on the other.
 */
export function pageOf<R, T>(rows: readonly R[], first: number, map: (row: R) => T, cursorOf: (row: R) => string): Page<T> {
  const items = rows.slice(0, first);
  const cursors = items.map(cursorOf);
  return { items: items.map(map), hasNextPage: rows.length > first, endCursor: cursors.at(-1) ?? null, cursors };
}

/** The repository's own check of `first` (KnexChatRepository's pageSize): lists elsewhere take it as given. */
export function checkedPageSize(first: number): number {
  if (!Number.isSafeInteger(first) || first < 0) throw invalidInput('first must be a non-negative integer');
  return first;
}
