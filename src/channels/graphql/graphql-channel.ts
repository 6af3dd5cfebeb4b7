import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { ChatCore } from '../../use-cases/chat-core.js';
import type { Authenticator } from '../auth/authenticator.js';
import { handleHttpError } from '../http/http-errors.js';
import { StreamLifecycle } from './lifecycle.js';
import type { RequestMetrics } from '../request-metrics.js';
import { attachGraphQLWebSocket } from './websocket.js';
import { createGraphQLServer, GRAPHQL_PATH } from './yoga.js';

export interface GraphQLChannelOptions {
  readonly core: ChatCore;
  readonly auth: Authenticator;
  readonly logger: PinoLogger;
  /** NODE_ENV=production: no GraphiQL, no introspection, no field suggestions. */
  readonly production: boolean;
  /** The largest request body or WebSocket frame accepted. */
  readonly bodyLimitBytes: number;
  /** How long a socket may stay open without a valid connection_init; default 3 s. */
  readonly connectionInitWaitTimeoutMs?: number;
  /** Counts operations by type and outcome (Prometheus). */
  readonly requestMetrics?: RequestMetrics | undefined;
}

/**
 * How long shutdown waits for reply subscribers to get their last event.
 * Replies have ended by then (the app drains them first), so this is only
 * the time to flush; it stays well under Fastify's close timeout.
 */
const SHUTDOWN_GRACE_MS = 3_000;
const COMPLETE_FLUSH_MS = 100;

/**
 * /graphql on the HTTP server: GraphQL over HTTP (GET and POST), over SSE
 * (`accept: text/event-stream`) and over WebSocket (graphql-ws), one Yoga
 * server behind all three.
 */
export async function registerGraphQLChannel(http: FastifyInstance, options: GraphQLChannelOptions): Promise<void> {
  const lifecycle = new StreamLifecycle();
  const yoga = createGraphQLServer({ ...options, lifecycle });

  await http.register(async (scope) => {
    // Yoga parses bodies itself, so it sees the real content type (GraphQL
    // over HTTP depends on it); Fastify keeps the size limit.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_request, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler(handleGraphQLHttpError);
    scope.route({
      url: GRAPHQL_PATH,
      method: ['GET', 'POST', 'OPTIONS'],
      handler: (request, reply) => yoga.handleNodeRequestAndResponse(request, reply, { req: request, reply }),
    });
  });

  const websocket = attachGraphQLWebSocket(http.server, {
    yoga,
    auth: options.auth,
    maxPayloadBytes: options.bodyLimitBytes,
    connectionInitWaitTimeoutMs: options.connectionInitWaitTimeoutMs ?? 3_000,
  });

  http.addHook('preClose', async () => {
    // Event feeds end now; replies in flight end as the app stops them, and
    // their subscribers get the last event before the sockets close.
    await lifecycle.shutdown(SHUTDOWN_GRACE_MS);
    // A stream that just ended sends its `complete` message a few turns of
    // the event loop later; closing the sockets first would cut it off.
    await sleep(COMPLETE_FLUSH_MS);
    await websocket.close();
  });
}

/** Request failures before Yoga runs (body too large), in the GraphQL response shape. */
function handleGraphQLHttpError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply
      .status(413)
      .type('application/json')
      .send({ errors: [{ message: 'The request body is too large', extensions: { code: 'MESSAGE_TOO_LARGE' } }] });
  }
  return handleHttpError(error, request, reply);
}
