import type { FastifyInstance } from 'fastify';

export interface HealthOptions {
  /** Throws when the service cannot serve: store unreachable, migrations not applied. */
  readonly checkReady: () => Promise<void>;
}

export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      await options.checkReady();
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'not ready');
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
}
