import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { loadVendorModules } from './vendor-modules.js';

/** One file of the page, ready to send: its bytes, and compressed forms made once. */
export interface WebAsset {
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** A strong validator: the hash of the body. */
  readonly etag: string;
  /** Hashed or versioned URLs never change content: cached for a year. The page itself is revalidated. */
  readonly immutable: boolean;
  /**
   * Made on the first request that asks for it, in the thread pool (never on
   * the event loop), then kept: a service that nobody opens the page of (and
   * each test's app) pays nothing at start.
   */
  compressed(encoding: Encoding): Promise<Buffer>;
}

export type Encoding = 'br' | 'gzip';

export const PAGE_PATH = '/';
const ASSETS = '/assets';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/**
 * The page's files by URL path. The page's own files (web/) get content-hashed
 * URLs, vendor modules versioned ones, and index.html is rewritten to point at
 * them: the one tiny build step, done in memory at start. app.js imports its
 * dependencies by bare name ('marked'); those imports are rewritten to the
 * vendor URLs here, so the browser needs no import map (an inline script the
 * Content-Security-Policy would have to allow).
 */
export function loadWebAssets(webDir = findWebDir()): Map<string, WebAsset> {
  const assets = new Map<string, WebAsset>();
  const add = (path: string, body: string | Buffer, immutable: boolean) => {
    const asset = makeAsset(path, Buffer.from(body), immutable);
    assets.set(path, asset);
    return asset.path;
  };

  const vendorUrls = new Map<string, string>();
  const vendorFiles: string[] = [];
  for (const vendor of loadVendorModules()) {
    const base = `${ASSETS}/vendor/${vendor.packageName}@${vendor.version}`;
    for (const file of vendor.files) vendorFiles.push(add(`${base}/${file.name}`, file.source, true));
    vendorUrls.set(vendor.specifier, `${base}/${vendor.entry}`);
  }

  const read = (name: string) => readFileSync(join(webDir, name), 'utf8');
  const appJs = read('app.js').replace(BARE_IMPORT, (whole, quote: string, specifier: string) => {
    const url = vendorUrls.get(specifier);
    if (url === undefined) throw new Error(`web/app.js imports ${specifier}, which is not a vendor module`);
    return whole.replace(`${quote}${specifier}${quote}`, `${quote}${url}${quote}`);
  });
  const urls: Record<string, string> = {
    'app.js': add(hashedPath('app', 'js', appJs), appJs, true),
    'app.css': add(hashedPath('app', 'css', read('app.css')), read('app.css'), true),
    'icon.svg': add(hashedPath('icon', 'svg', read('icon.svg')), read('icon.svg'), true),
  };
  // Fetched at once with the page, instead of one import after another once app.js is parsed.
  const preloads = vendorFiles.map((url) => `<link rel="modulepreload" href="${url}">`).join('\n    ');
  const html = read('index.html')
    .replace(/%(app\.js|app\.css|icon\.svg)%/g, (_whole, name: string) => urls[name]!)
    .replace('<!-- %modulepreload% -->', preloads);
  add(PAGE_PATH, html, false);
  return assets;
}

let shared: Map<string, WebAsset> | undefined;

/** The page's files from web/, read once per process (every app in it serves the same bytes). */
export function sharedWebAssets(): Map<string, WebAsset> {
  shared ??= loadWebAssets();
  return shared;
}

const BARE_IMPORT = /\b(?:from|import)\s*(['"])([a-z@][\w@/.-]*)\1/g;

function hashedPath(name: string, extension: string, body: string): string {
  return `${ASSETS}/${name}.${digest(Buffer.from(body)).slice(0, 12)}.${extension}`;
}

const digest = (body: Buffer) => createHash('sha256').update(body).digest('base64url');

const COMPRESS: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) => promisify(brotliCompress)(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => promisify(gzip)(body, { level: zlib.Z_BEST_COMPRESSION }),
};

/** Compressed bodies by content digest and encoding, shared by every app in the process. */
const compressedCache = new Map<string, Promise<Buffer>>();

function makeAsset(path: string, body: Buffer, immutable: boolean): WebAsset {
  const extension = path === PAGE_PATH ? 'html' : path.slice(path.lastIndexOf('.') + 1);
  const hash = digest(body);
  return {
    path,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    body,
    etag: `"${hash.slice(0, 27)}"`,
    immutable,
    compressed: (encoding) => {
      const key = `${encoding}:${hash}`;
      let form = compressedCache.get(key);
      if (form === undefined) {
        form = COMPRESS[encoding](body);
        // A failure is not kept: the next request tries again.
        form.catch(() => compressedCache.delete(key));
        compressedCache.set(key, form);
      }
      return form;
    },
  };
}

/**
 * web/ at the project root: two levels above this file's directory when
 * running from src/ (tsx, vitest), three from dist/src/ (npm start, Docker).
 */
function findWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(dir, 'web', 'index.html'))) return join(dir, 'web');
    dir = dirname(dir);
  }
  throw new Error('web page: the web/ folder (index.html, app.js, app.css) was not found next to the service');
}
