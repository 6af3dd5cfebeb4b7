import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentSecurityPolicy } from './content-security-policy.js';
import { PAGE_PATH, sharedWebAssets, type Encoding, type WebAsset } from './web-assets.js';

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The built-in chat page: GET / and its files under /assets/. Only what the
 * asset table holds is served (no file system lookups from a URL), each file
 * compressed with brotli or gzip when the browser accepts it, with an ETag;
 * hashed and versioned URLs are immutable, the page revalidates. The page is
 * a client of the public GraphQL API and nothing else.
 */
export function registerWebRoutes(app: FastifyInstance, assets: Map<string, WebAsset> = sharedWebAssets()): void {
  const serve = (asset: WebAsset) => (request: FastifyRequest, reply: FastifyReply) => send(request, reply, asset);
  for (const asset of assets.values()) app.get(asset.path, serve(asset));
}

async function send(request: FastifyRequest, reply: FastifyReply, asset: WebAsset) {
  reply
    .header('content-type', asset.contentType)
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', asset.immutable ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache');
  if (asset.path === PAGE_PATH) {
    reply
      .header('content-security-policy', contentSecurityPolicy(request.headers.host))
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cross-origin-opener-policy', 'same-origin');
  }
  if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const encoding = preferredEncoding(request.headers['accept-encoding']);
  if (encoding === undefined) return reply.send(asset.body);
  return reply.header('content-encoding', encoding).send(await asset.compressed(encoding));
}

/** brotli, else gzip, when the request accepts it (a q=0 refuses). */
export function preferredEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, ...params]) => !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param)))
      .map(([name]) => name!.trim()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}
