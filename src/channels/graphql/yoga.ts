import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createYoga, type YogaLogger } from 'graphql-yoga';
import type { Logger as PinoLogger } from 'pino';
import type { ChatCore } from '../../use-cases/chat-core.js';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { createGraphQLContext, type GraphQLContext } from './context.js';
import { maskError, useStableErrorCodes } from './errors.js';
import type { StreamLifecycle } from './lifecycle.js';
import { limitPlugins } from './limits.js';
import { useOneReplyPerOperation } from './one-reply-per-operation.js';
import { schema } from './schema/index.js';
import { NO_REQUEST_METRICS, type RequestMetrics } from '../request-metrics.js';
import { useRequestMetrics } from './request-metrics-plugin.js';

export const GRAPHQL_PATH = '/graphql';

/** What a transport hands Yoga: Fastify's request over HTTP/SSE, the authenticated caller over WebSocket. */
export interface GraphQLServerContext {
  readonly req?: FastifyRequest;
  readonly reply?: FastifyReply;
  readonly caller?: Caller;
}

export interface GraphQLServerOptions {
  readonly core: ChatCore;
  readonly auth: Authenticator;
  readonly logger: PinoLogger;
  /** NODE_ENV=production: no GraphiQL, no introspection, no field suggestions. */
  readonly production: boolean;
  readonly lifecycle: StreamLifecycle;
  /** Counts operations by type and outcome (Prometheus). */
  readonly requestMetrics?: RequestMetrics | undefined;
}

/**
 * The GraphQL server, transport-free: Fastify feeds it HTTP and SSE requests,
 * graphql-ws runs socket operations through its envelope, so authentication,
 * limits and error masking are the same everywhere.
 */
export function createGraphQLServer(options: GraphQLServerOptions) {
  const { core, auth, production, lifecycle } = options;
  return createYoga<GraphQLServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: !production,
    landingPage: false,
    batching: false,
    // isDev false: never attach the original error or its stack, whatever NODE_ENV says.
    maskedErrors: { maskError, isDev: false },
    logging: yogaLogger(options.logger),
    context: async ({ request, caller }) => {
      const identity =
        caller ??
        (await auth.authenticate(
          request.headers.get('authorization') ?? undefined,
          request.headers.get('x-user-id') ?? undefined,
        ));
      return createGraphQLContext(core, identity, lifecycle);
    },
    // No CSRF header requirement: no credential here comes from a cookie, and a cross-site
    // request cannot attach an Authorization header, so it guarded nothing and broke urql's GET queries.
    plugins: [
      ...limitPlugins({ production }),
      useOneReplyPerOperation(),
      useStableErrorCodes(),
      useRequestMetrics(options.requestMetrics ?? NO_REQUEST_METRICS),
      ...(production ? [useDisableIntrospection()] : []),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;

function yogaLogger(logger: PinoLogger): YogaLogger {
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first instanceof Error) logger[level]({ err: first, details: rest }, 'graphql');
    else logger[level]({ details: args }, 'graphql');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
