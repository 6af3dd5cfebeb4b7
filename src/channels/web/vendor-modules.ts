import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/** A browser ES module of a dependency, served from the service (no CDN): the page works offline. */
export interface VendorModule {
  /** The bare specifier the page imports ('marked'). */
  readonly specifier: string;
  readonly packageName: string;
  readonly version: string;
  /** The module's file, and any file it imports relatively (graphql-ws splits its client in two). */
  readonly files: readonly { readonly name: string; readonly source: string }[];
  /** Which of `files` the specifier means. */
  readonly entry: string;
}

/** The browser builds the page uses: ESM, dependency-free, already in node_modules for the server. */
const VENDOR_ENTRIES = [
  { specifier: 'graphql-ws', packageName: 'graphql-ws', entry: 'dist/client.js' },
  { specifier: 'marked', packageName: 'marked', entry: 'lib/marked.esm.js' },
  { specifier: 'dompurify', packageName: 'dompurify', entry: 'dist/purify.es.mjs' },
] as const;

const require = createRequire(import.meta.url);

export function loadVendorModules(): VendorModule[] {
  return VENDOR_ENTRIES.map(({ specifier, packageName, entry }) => {
    const root = packageRoot(packageName);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const files = withRelativeImports(join(root, dirname(entry)), basename(entry));
    return { specifier, packageName, version, files, entry: files[0]!.name };
  });
}

/** The installed package's directory, found from whatever file Node resolves for it. */
function packageRoot(packageName: string): string {
  let dir = dirname(require.resolve(packageName));
  for (let depth = 0; depth < 5; depth += 1) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === packageName) return dir;
    } catch {
      // No package.json here: look further up.
    }
    dir = dirname(dir);
  }
  throw new Error(`web page: cannot find the installed package ${packageName}`);
}

const RELATIVE_IMPORT = /\bfrom\s*['"]\.\/([\w.-]+\.m?js)['"]/g;
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=\S+\s*$/;

/** A module file and the files of its directory it imports, each once; source-map comments removed (the maps are not served). */
function withRelativeImports(dir: string, entry: string): { name: string; source: string }[] {
  const files: { name: string; source: string }[] = [];
  const pending = [entry];
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (files.some((file) => file.name === name)) continue;
    const source = readFileSync(join(dir, name), 'utf8').replace(SOURCE_MAP_COMMENT, '\n');
    files.push({ name, source });
    for (const match of source.matchAll(RELATIVE_IMPORT)) pending.push(match[1]!);
  }
  return files;
}
