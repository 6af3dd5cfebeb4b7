import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import { withCode } from './errors.js';

/**
 * What one document may ask for. The schema has no cycles, so its deepest
 * legitimate selection (chatEvents > ReplyStarted > chat > messages > edges >
 * node > usage > promptTokens) is 8 levels; introspection's `ofType` chains are
 * what the depth limit is for. Cost follows graphql-armor's model: objects 2,
 * scalars 1, x1.5 per level, times `first` for lists; a page of 100 chats with
 * their latest message costs about 21,000, and 100 chats with 100 messages each
 * (about 3,000,000) is far over.
 */
export const GRAPHQL_LIMITS = {
  depth: 10,
  aliases: 15,
  directives: 10,
  tokens: 2_000,
  cost: 25_000,
} as const;

/** Limits as validation rules: a document over any of them is refused before a resolver runs. */
export function limitPlugins(options: { production: boolean }) {
  // Reported as validation errors (not thrown), so HTTP answers 400 and graphql-ws an `error` message.
  const report = (ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(withCode(error, 'INVALID_INPUT'));
  const rule = { propagateOnRejection: false, onReject: [report] };
  return EnvelopArmorPlugin({
    maxDepth: { n: GRAPHQL_LIMITS.depth, flattenFragments: true, ...rule },
    maxAliases: { n: GRAPHQL_LIMITS.aliases, ...rule },
    maxDirectives: { n: GRAPHQL_LIMITS.directives, ...rule },
    costLimit: { maxCost: GRAPHQL_LIMITS.cost, flattenFragments: true, ...rule },
    // The token limit runs in the parser, before any validation: it rejects with a syntax error.
    maxTokens: { n: GRAPHQL_LIMITS.tokens },
    blockFieldSuggestion: { enabled: options.production },
  });
}
