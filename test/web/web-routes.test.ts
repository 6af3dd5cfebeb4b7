import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/channels/web/content-security-policy.js';
import { preferredEncoding } from '../../src/channels/web/web-routes.js';
import { useTestApp } from '../support/test-app.js';

describe('the chat page over HTTP', () => {
  const app = useTestApp('sqlite', { openai: false });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app().httpUrl}${path}`, { headers });

  it('serves the page with its security headers, revalidated by ETag', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const host = new URL(app().httpUrl).host;
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://${host} wss://${host}`);
    const html = await page.text();
    expect(html).toContain('<label for="token">Token</label>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await get('/', { 'if-none-match': page.headers.get('etag')! })).status).toBe(304);
    expect((await fetch(`${app().httpUrl}/`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves every module the page imports from this origin, compressed, immutable', async () => {
    const html = await (await get('/')).text();
    const script = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
    const pending = [script, ...[...html.matchAll(/href="(\/assets\/[^"]+)"/g)].map((match) => match[1]!)];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const path = pending.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await get(path, { 'accept-encoding': 'br' });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-encoding')).toBe('br');
      // fetch decodes brotli itself: what arrives is the module's source.
      const source = await response.text();
      if (!path.endsWith('.js') && !path.endsWith('.mjs')) continue;
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      // Imports are absolute paths on this server or relative ones next to the module: no bare names, no CDN.
      // Import and export statements (at the start of a line), not the word "import" inside a string.
      for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\b[^;'"]*?(?:\bfrom\s*)?['"]([^'"]+)['"]/gm)) {
        expect(specifier).toMatch(/^(\/assets\/|\.\/)/);
        pending.push(specifier!.startsWith('./') ? new URL(specifier!, `http://x${path}`).pathname : specifier!);
      }
    }
    expect([...seen].some((path) => path.includes('/vendor/marked@'))).toBe(true);
    expect([...seen].some((path) => path.includes('/vendor/dompurify@'))).toBe(true);
    expect([...seen].filter((path) => path.includes('/vendor/graphql-ws@'))).toHaveLength(2);
  });

  it('compresses with what the browser accepts, and sends the same bytes each way', async () => {
    const plain = Buffer.from(await (await get('/', { 'accept-encoding': 'identity' })).arrayBuffer());
    const raw = (encoding: string) =>
      new Promise<Buffer>((resolve, reject) => {
        // node:http, not fetch: fetch would decode the body before we see it.
        void import('node:http').then(({ get: httpGet }) =>
          httpGet(`${app().httpUrl}/`, { headers: { 'accept-encoding': encoding } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve(Buffer.concat(chunks)));
          }).on('error', reject),
        );
      });
    expect(brotliDecompressSync(await raw('gzip, deflate, br'))).toEqual(plain);
    expect(gunzipSync(await raw('gzip'))).toEqual(plain);
    expect(await raw('identity')).toEqual(plain);
  });

  it('answers anything else under /assets/ like any unknown route', async () => {
    for (const path of ['/assets/app.js', '/assets/../package.json', '/assets/vendor/marked@0.0.0/marked.esm.js']) {
      const response = await get(path);
      expect({ path, status: response.status, body: await response.json() }).toEqual({ path, status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such route' } } });
    }
  });
});

describe('content negotiation and the policy', () => {
  it('prefers brotli, then gzip, and honours q=0', () => {
    expect(preferredEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(preferredEncoding('br;q=0, gzip;q=0.8')).toBe('gzip');
    expect(preferredEncoding('gzip;q=0')).toBeUndefined();
    expect(preferredEncoding(undefined)).toBeUndefined();
  });

  it('names the WebSocket origin only for a well-formed Host header', () => {
    expect(contentSecurityPolicy('chat.example.com:8443')).toContain("connect-src 'self' ws://chat.example.com:8443 wss://chat.example.com:8443;");
    expect(contentSecurityPolicy('[::1]:8080')).toContain('ws://[::1]:8080');
    for (const host of ['evil.com; script-src *', 'a b', undefined]) expect(contentSecurityPolicy(host)).toContain("connect-src 'self';");
  });
});
