import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './processes.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function where(url: string): string {
  if (url === '') return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const rel = path.startsWith('/') ? relative(ROOT, path) : path;
  return rel.replace(/^.*node_modules\//, 'node_modules/');
}

/** node_modules/<package>, src/<layer>/<dir>, node internals, or the VM's own pseudo-frames. */
function bucket(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const w = where(url);
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(w);
  if (pkg) return pkg[1]!;
  if (w.startsWith('node:')) return 'node: internals';
  const ours = /^(?:dist\/)?(src\/[^/]+(?:\/[^/]+)?)\//.exec(w);
  if (ours) return ours[1]!;
  return w;
}

const frameKey = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'}  ${where(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
const isOurs = (frame: ProfileNode['callFrame']) => /\/(dist\/)?src\//.test(frame.url) && !frame.url.includes('node_modules');

/**
 * The hottest frames (self time), where the time goes by package, and our own
 * functions by inclusive time — counting only samples inside `window`
 * (monotonic µs), so start-up does not drown the steady state.
 */
export function summarizeProfile(file: string, top: number, window?: { start: number; end: number }): string {
  if (!existsSync(file)) return `(no profile at ${file}: the service did not exit cleanly)\n`;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfUs = new Map<number, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (window && (at < window.start || at > window.end)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });

  const byFrame = new Map<string, number>();
  const byBucket = new Map<string, number>();
  const inclusiveOurs = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const key = frameKey(frame);
    byFrame.set(key, (byFrame.get(key) ?? 0) + us);
    const b = bucket(frame);
    byBucket.set(b, (byBucket.get(b) ?? 0) + us);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const f = byId.get(node)!.callFrame;
      if (!isOurs(f)) continue;
      const k = frameKey(f);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusiveOurs.set(k, (inclusiveOurs.get(k) ?? 0) + us);
    }
  }
  const idle = byBucket.get('(idle)') ?? 0;
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1)}%`;
  const table = (title: string, entries: [string, number][], n: number, code: boolean) => [
    `| ${title} | |`,
    '|---:|---|',
    ...entries
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => `| ${pct(us)} | ${code ? `\`${key}\`` : key} |`),
    '',
  ];
  return [
    `${window ? 'In the measured window: sampled' : 'Sampled'} ${(total / 1000).toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms ` +
      `(idle ${((100 * idle) / Math.max(1, total)).toFixed(0)}%). Shares are of busy time.`,
    '',
    ...table('self', [...byFrame.entries()].filter(([key]) => !key.startsWith('(idle)')), top, true),
    ...table('self, by package', [...byBucket.entries()].filter(([key]) => key !== '(idle)'), 25, false),
    ...table('inclusive, our code', [...inclusiveOurs.entries()], 25, true),
  ].join('\n');
}
