import formbody from '@fastify/formbody';
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { requestIdOf } from '../request-id.js';
import { handleHttpError, sendError } from './http-errors.js';

export interface HttpServerOptions {
  readonly logger: PinoLogger;
  readonly bodyLimitBytes: number;
}

/**
 * The one HTTP server: channels (legacy /chat, GraphQL, the Twilio webhook,
 * health) register their routes on it. JSON and form bodies only, size-limited.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    // Our onResponse hook logs one line per request instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    requestIdHeader: false,
    // A caller's x-request-id is kept when it is harmless, so logs join up across services.
    genReqId: (req) => requestIdOf(req.headers['x-request-id']),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { method: request.method, url: request.routeOptions.url ?? request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
    done();
  });

  await app.register(formbody, { bodyLimit: options.bodyLimitBytes });
  app.setErrorHandler(handleHttpError);
  app.setNotFoundHandler((_request, reply) => sendError(reply, 'NOT_FOUND', 'No such route'));
  return app;
}
