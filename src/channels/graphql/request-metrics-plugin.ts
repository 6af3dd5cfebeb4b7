import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestMetrics } from '../request-metrics.js';

type OperationType = 'query' | 'mutation' | 'subscription';

const operationOf = (document: DocumentNode, name: string | null | undefined): OperationType =>
  getOperationAST(document, name ?? undefined)?.operation ?? 'query';

const hasErrors = (result: unknown): boolean =>
  typeof result === 'object' && result !== null && Array.isArray((result as { errors?: unknown }).errors) && (result as { errors: unknown[] }).errors.length > 0;

/**
 * Counts GraphQL operations by type and outcome, once each, as they are
 * executed (over HTTP, SSE and WebSocket alike). A subscription counts when
 * it starts: `error` when it was refused before its first event.
 */
export function useRequestMetrics(metrics: RequestMetrics): Plugin {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => metrics.graphqlOperation(operationOf(args.document, args.operationName), hasErrors(result) ? 'error' : 'ok'),
    }),
    onSubscribe: ({ args }) => ({
      onSubscribeResult: ({ result }) => metrics.graphqlOperation(operationOf(args.document, args.operationName), hasErrors(result) ? 'error' : 'ok'),
      onSubscribeError: () => metrics.graphqlOperation(operationOf(args.document, args.operationName), 'error'),
    }),
  };
}
