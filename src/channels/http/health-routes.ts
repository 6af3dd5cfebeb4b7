import type { FastifyInstance } from 'fastify';
import { settlesWithin } from '../../lib/settles-within.js';

/** Probes time out in about a second: answer "not ready" before they do, even with a frozen store. */
const READY_ANSWER_MS = 500;

export interface HealthOptions {
  /** Throws when the service cannot serve: store unreachable, migrations not applied. */
  readonly checkReady: () => Promise<void>;
}

export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const check = options.checkReady();
    let failure: unknown;
    check.catch((error: unknown) => (failure = error ?? new Error('not ready')));
    const answered = await settlesWithin(check, READY_ANSWER_MS);
    if (answered && failure === undefined) return { status: 'ready' };
    request.log.warn({ err: failure ?? new Error(`the store did not answer within ${READY_ANSWER_MS} ms`) }, 'not ready');
    return reply.status(503).send({ status: 'unavailable' });
  });
}
