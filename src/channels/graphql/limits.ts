import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withCode } from './errors.js';
import { useNestingLimit } from './nesting-limit.js';

/**
 * What one document may ask for. The schema has no cycles, so its deepest
 * legitimate selection (chatEvents > ReplyStarted > chat > messages > edges >
 * node > usage > promptTokens) is 8 levels. Introspection is held to the same
 * depth, since its types are cyclic (types > fields > type > fields ...) and
 * depth is what bounds it; that also refuses the standard introspection query
 * (its ofType chains go deeper), so GraphiQL in development runs operations
 * but cannot load its schema explorer (`npm run schema` prints the SDL).
 * Nesting counts brackets, braces and parentheses, so a deep list literal
 * cannot overflow the parser's stack. Cost follows graphql-armor's model:
 * objects 2, scalars 1, x1.5 per level, times `first` for lists; a page of 100
 * chats with their latest message costs about 21,000, and 100 chats with 100
 * messages each (about 3,000,000) is far over.
 */
export const GRAPHQL_LIMITS = {
  depth: 10,
  nesting: 32,
  aliases: 15,
  directives: 10,
  tokens: 2_000,
  cost: 25_000,
} as const;

/** Limits as parser checks and validation rules: a document over any of them is refused before a resolver runs. */
export function limitPlugins(options: { production: boolean }): Plugin[] {
  // Reported as validation errors (not thrown), so HTTP answers 400 and graphql-ws an `error` message.
  const report = (ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(withCode(error, 'INVALID_INPUT'));
  const rule = { propagateOnRejection: false, onReject: [report] };
  return [
    EnvelopArmorPlugin({
      // graphql-armor skips `__schema` by default; introspection counts like everything else here.
      maxDepth: { n: GRAPHQL_LIMITS.depth, flattenFragments: true, ignoreIntrospection: false, ...rule },
      maxAliases: { n: GRAPHQL_LIMITS.aliases, ...rule },
      maxDirectives: { n: GRAPHQL_LIMITS.directives, ...rule },
      costLimit: { maxCost: GRAPHQL_LIMITS.cost, flattenFragments: true, ...rule },
      // The token limit runs in the parser, before any validation: it rejects with a syntax error.
      maxTokens: { n: GRAPHQL_LIMITS.tokens },
      blockFieldSuggestion: { enabled: options.production },
    }),
    // After the armor plugin, so it wraps the token-limited parser and runs first.
    useNestingLimit({ maxNesting: GRAPHQL_LIMITS.nesting, maxTokens: GRAPHQL_LIMITS.tokens }),
  ];
}
