import type { Page } from '../../use-cases/ports.js';

/** A page of the core as a Relay connection (forward paging: first/after). */
export function toConnection<T>(page: Page<T>) {
  return {
    edges: page.items.map((node, index) => ({ node, cursor: page.cursors[index]! })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.endCursor,
    },
  };
}

/** GraphQL's explicit null means "not given", as an absent argument does. */
export const given = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
