import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { DomainError, ERROR_CODES, retryAfterSeconds, type ErrorCode } from '../../domain/errors.js';

/** HTTP statuses for request-level failures, where GraphQL over HTTP lets a status speak. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
};

export const INTERNAL_ERROR_MESSAGE = 'Internal error';

/**
 * The one place GraphQL errors get their public shape: a DomainError keeps its
 * message and carries its code in extensions.code; a document the server
 * refused (syntax, validation, limits) is INVALID_INPUT; anything else is
 * INTERNAL with a fixed message, so no SQL, stack or host reaches a client.
 */
export function maskError(error: unknown): Error {
  const domain = findDomainError(error);
  if (domain) {
    const status = HTTP_STATUS[domain.code];
    const retryAfter = retryAfterSeconds(domain);
    return createGraphQLError(domain.message, {
      ...locationOf(error),
      extensions: {
        code: domain.code,
        ...(status === undefined ? {} : { http: { status } }),
        // RATE_LIMITED / QUOTA_EXCEEDED: seconds to wait before trying again.
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      },
    });
  }
  // No path: the request itself was refused (syntax, validation, variables), before any resolver ran.
  if (isGraphQLError(error) && error.path === undefined) return withCode(error, 'INVALID_INPUT');
  return createGraphQLError(INTERNAL_ERROR_MESSAGE, { ...locationOf(error), extensions: { code: 'INTERNAL' } });
}

/** The error with `code`, unless it carries one of our stable codes already. */
export function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  if (ERROR_CODES.includes(error.extensions['code'] as ErrorCode)) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code },
  });
}

/**
 * By name, not instanceof: a process can hold two copies of graphql-js (its
 * CommonJS and ESM builds), and an error made by one is no instance of the other.
 */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

function findDomainError(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current != null; depth += 1) {
    if (current instanceof DomainError) return current;
    current = isGraphQLError(current) ? current.originalError : undefined;
  }
  return undefined;
}

function locationOf(error: unknown) {
  return isGraphQLError(error) ? { nodes: error.nodes, path: error.path } : {};
}

/**
 * Documents that are not valid GraphQL (syntax, unknown fields, wrong
 * variables, over a limit) are bad input like any other: INVALID_INPUT,
 * in place of Yoga's own GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED.
 */
export function useStableErrorCodes(): Plugin {
  const stable = (error: GraphQLError) => {
    const extensions = error.extensions as Record<string, unknown>;
    if (!ERROR_CODES.includes(extensions['code'] as ErrorCode)) extensions['code'] = 'INVALID_INPUT';
  };
  return {
    onParse: () => ({ result }) => {
      if (isGraphQLError(result)) stable(result);
    },
    onValidate: () => ({ result }) => {
      for (const error of result) stable(error);
    },
  };
}
