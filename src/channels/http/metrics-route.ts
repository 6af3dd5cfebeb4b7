import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { parseAuthorization } from '../auth/authorization-header.js';
import { sendError } from './http-errors.js';

/** Where the Prometheus text comes from. */
export interface MetricsSource {
  readonly contentType: string;
  scrape(): Promise<string>;
}

export interface MetricsRouteOptions {
  readonly metrics: MetricsSource;
  /** METRICS_TOKEN: when set, a scrape needs `authorization: Bearer <token>` (Prometheus' `authorization` / `bearer_token`). */
  readonly token?: string | undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics in the Prometheus text format. Open when no METRICS_TOKEN is
 * set (keep it off the public network then); otherwise the token is compared
 * in constant time, and a wrong or missing one is 401 UNAUTHENTICATED.
 */
export function registerMetricsRoute(app: FastifyInstance, options: MetricsRouteOptions): void {
  const expected = options.token === undefined ? undefined : digest(options.token);
  app.get('/metrics', async (request, reply) => {
    if (expected !== undefined) {
      const token = parseAuthorization(request.headers.authorization);
      if (token === undefined || !timingSafeEqual(digest(token), expected)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        return sendError(reply, 'UNAUTHENTICATED', 'A valid METRICS_TOKEN is required');
      }
    }
    const body = await options.metrics.scrape();
    return reply.type(options.metrics.contentType).send(body);
  });
}
