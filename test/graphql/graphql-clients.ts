import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { SERVICE_TOKEN, type TestApp } from '../support/test-app.js';

/*
 * GraphQL clients for the tests, each over its real transport: fetch for
 * HTTP, graphql-sse for Server-Sent Events, graphql-ws over a real socket.
 * They authenticate as a service acting for `userId` unless told otherwise.
 */

export interface Identity {
  /** x-user-id (HTTP/SSE) or connectionParams.userId (WebSocket). */
  readonly userId?: string;
  /** Default: `Bearer <the test service token>`; null sends none. */
  readonly authorization?: string | null;
}

export type Result<TData> = FormattedExecutionResult<TData, { code?: string }>;

function authHeaders({ userId = 'alice', authorization }: Identity): Record<string, string> {
  const token = authorization === undefined ? `Bearer ${SERVICE_TOKEN}` : authorization;
  return { ...(token === null ? {} : { authorization: token }), ...(userId === '' ? {} : { 'x-user-id': userId }) };
}

/** POSTs one operation as application/json. */
export async function execute<TData, TVariables>(
  app: TestApp,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  identity: Identity = {},
): Promise<Result<TData> & { status: number }> {
  const response = await fetch(`${app.httpUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...authHeaders(identity) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, ...((await response.json()) as Result<TData>) };
}

export interface RawResult {
  readonly status: number;
  readonly data?: unknown;
  readonly errors?: readonly { message: string; extensions?: { code?: string } }[];
}

/** POSTs a document given as text (for documents codegen would refuse). */
export async function executeRaw(
  app: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  identity: Identity = {},
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const response = await fetch(`${app.httpUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(identity), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** Subscribes over SSE with a plain fetch and returns every result until the stream ends. */
export async function subscribeRaw(
  app: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  identity: Identity = {},
): Promise<RawResult[]> {
  const response = await fetch(`${app.httpUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders(identity) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: ')
    .map((line) => JSON.parse(line.slice('data: '.length)) as RawResult);
}

/** Like `execute`, but fails the test on any GraphQL error and returns the data. */
export async function data<TData, TVariables>(
  app: TestApp,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  identity: Identity = {},
): Promise<TData> {
  const result = await execute(app, document, variables, identity);
  if (result.errors !== undefined || result.data == null) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** A graphql-ws client over a real socket; `close()` it when done. */
export function wsClient(app: TestApp, identity: Identity = {}, onClose?: (event: { code: number; reason: string }) => void): WsClient {
  const { userId = 'alice', authorization } = identity;
  const token = authorization === undefined ? `Bearer ${SERVICE_TOKEN}` : authorization;
  return createWsClient({
    url: `${app.httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { ...(token === null ? {} : { authorization: token }), userId },
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => onClose?.(event as { code: number; reason: string }) },
  });
}

/** A graphql-sse client (distinct connections mode, as Yoga serves it). */
export function sseClient(app: TestApp, identity: Identity = {}) {
  return createSseClient({ url: `${app.httpUrl}/graphql`, headers: authHeaders(identity), retryAttempts: 0 });
}

export interface Subscription<TData> {
  /** The next result, within `timeoutMs`. */
  next(timeoutMs?: number): Promise<Result<TData>>;
  /** Results until the server completes the subscription. */
  rest(timeoutMs?: number): Promise<Result<TData>[]>;
  /** Unsubscribes (the client goes away). */
  stop(): Promise<void>;
}

/** Subscribes with a graphql-ws or graphql-sse client. */
export function subscribe<TData, TVariables>(
  client: { iterate: (request: { query: string; variables?: Record<string, unknown> }) => AsyncIterableIterator<unknown> },
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Subscription<TData> {
  const iterator = client.iterate({ query: print(document), variables: variables as Record<string, unknown> });
  const next = async (timeoutMs = 10_000) => {
    const result = await withTimeout(iterator.next(), timeoutMs, 'the next subscription result');
    if (result.done) throw new Error('The subscription completed');
    return result.value as Result<TData>;
  };
  return {
    next,
    async rest(timeoutMs = 10_000) {
      const results: Result<TData>[] = [];
      for (;;) {
        const result = await withTimeout(iterator.next(), timeoutMs, 'the subscription to complete');
        if (result.done) return results;
        results.push(result.value as Result<TData>);
      }
    },
    async stop() {
      await iterator.return?.();
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
