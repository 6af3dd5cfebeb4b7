import { Lexer, Source, TokenKind } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

const OPENERS = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSERS = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * graphql-js parses recursively: a list literal nested a few thousand deep
 * overflows the stack before any token or depth limit is reached, and the
 * RangeError surfaces as INTERNAL (or as a WebSocket close reason). This
 * plugin walks the document with graphql's own lexer, which is iterative, and
 * refuses it once brackets, braces or parentheses nest deeper than `maxNesting`,
 * before the parser sees it. It stops looking after `maxTokens` tokens, where
 * the token limit takes over.
 */
export function useNestingLimit(options: { maxNesting: number; maxTokens: number }): Plugin {
  return {
    onParse: ({ parseFn, setParseFn }) => {
      setParseFn((source, parseOptions) => {
        assertNestingWithin(typeof source === 'string' ? source : source.body, options);
        return parseFn(source, parseOptions);
      });
    },
  };
}

export function assertNestingWithin(text: string, { maxNesting, maxTokens }: { maxNesting: number; maxTokens: number }): void {
  const lexer = new Lexer(new Source(text));
  let depth = 0;
  for (let tokens = 0; tokens <= maxTokens; tokens += 1) {
    let kind: string;
    try {
      kind = lexer.advance().kind;
    } catch {
      return; // A lexical error: the parser reports it, at a nesting we have already checked.
    }
    if (kind === TokenKind.EOF) return;
    if (OPENERS.has(kind)) depth += 1;
    else if (CLOSERS.has(kind)) depth -= 1;
    if (depth > maxNesting) {
      throw createGraphQLError(`Syntax Error: Nesting limit of ${maxNesting} exceeded.`, { extensions: { code: 'INVALID_INPUT' } });
    }
  }
}
