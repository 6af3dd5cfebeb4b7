import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { surfaceInfo } from '../surfaces/index.js';
import { ROOT } from './processes.js';
import type { Entry, HistoryFigure, IdleFigure, PeerFigure, Row, RunFigure, StallFigure, TargetsFigure } from './results.js';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

const n = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '–' : value.toFixed(digits));
const pair = (a: number | null | undefined, b: number | null | undefined, digits = 1) => `${n(a, digits)} / ${n(b, digits)}`;
const mark = (met: boolean | null) => (met === null ? '–' : met ? 'yes' : '**no**');
/** A figure with its ratio to the floor beside it: `2.40 (4.1x)`. */
const withFloor = (value: number | null | undefined, ratio: number | null | undefined, digits: number) =>
  ratio === null || ratio === undefined ? n(value, digits) : `${n(value, digits)} (${ratio.toFixed(2)}x)`;

/** The README section: machine and date, targets, every row, the special figures. */
export function renderMarkdown(entries: readonly Entry[]): string {
  const figure = <T extends Entry>(name: string) => entries.filter((e): e is T => 'figure' in e && e.figure === name);
  const run = figure<RunFigure>('run')[0]!;
  const rows = entries.filter((e): e is Row => !('figure' in e));
  const m = run.machine;
  const lines: string[] = [];
  lines.push(
    `Measured ${run.date.slice(0, 16).replace('T', ' ')} UTC with \`${run.command}\` (${run.quick ? 'quick subset' : 'full run'}, ${run.duration_s} s) on ` +
      `${m.cpu}, ${m.cores} cores, ${m.ram_gb} GB RAM, Node ${m.node}, ${m.os} (load average ${run.load_average.before[0]} at the start). ` +
      'The fake upstream, the load generator and the service each run in their own process on this one machine; ' +
      'every figure is measured from the client side. Times in ms; "added" is the row minus the direct call ' +
      '(the upstream itself, read by the leanest client: node:http and the service\'s SSE decoder) at the same mode and load, in the same run. ' +
      '"(Nx)" after a CPU or turns/s figure is its ratio to the **floor** — a bare pass-through server in its own process ' +
      '(same v1 proto / same graphql-ws messages, no database, no GraphQL execution, no tokenizer; `bench/floor/`) — ' +
      'measured at the same mode and load in the same run: gRPC surfaces against `floor-grpc`, GraphQL ones against `floor-ws`.',
    '',
    `Upstream modes: ${Object.entries(run.upstream_modes).map(([k, v]) => `**${k}** — ${v}`).join('; ')}. Stores: ${Object.entries(run.stores).map(([k, v]) => `**${k}** — ${v}`).join('; ')}.`,
    '',
    'Reproduce: `npm run bench` (full) or `npm run bench -- --quick` (about two minutes); results in `bench/results/latest.json`, method in `bench/README.md`.',
    '',
  );

  const targets = figure<TargetsFigure>('targets')[0];
  if (targets) {
    lines.push('**Targets**', '', '| target | goal | measured | met |', '|---|---|---|---|');
    for (const c of targets.checks) lines.push(`| ${c.target} | ${c.goal} | ${c.measured} | ${mark(c.met)} |`);
    lines.push('');
  }

  const measured = rows.filter((row) => row.available);
  const find = (r: Row, mode: string, test: (x: Row) => boolean) =>
    measured.find((x) => x.surface === r.surface && x.store === r.store && x.mode === mode && test(x));
  const glance = measured.filter((r) => r.surface !== 'direct' && r.mode === 'zero' && r.concurrency === 1);
  if (glance.length > 0) {
    lines.push(
      '**At a glance** (added = minus the direct call; (Nx) = ratio to the floor; paced = a delta every 5 ms, paced20 = every 20 ms)',
      '',
      '| surface | store | added TTFT p50 / p99, paced, c=1 | … paced, c=64 | … paced20, c=256 | best turns/s, zero (x floor) | CPU ms/turn, zero, c=64 (x floor) |',
      '|---|---|---|---|---|---|---|',
    );
    for (const r of glance) {
      const c1 = find(r, 'paced', (x) => x.concurrency === 1);
      const c64 = find(r, 'paced', (x) => x.concurrency === 64);
      const slow = find(r, 'paced20', (x) => x.concurrency === 256);
      const best = measured
        .filter((x) => x.surface === r.surface && x.store === r.store && x.mode === 'zero' && x.load === 'closed')
        .reduce<Row | undefined>((a, x) => (a === undefined || (x.turns_per_s ?? 0) > (a.turns_per_s ?? 0) ? x : a), undefined);
      const zero64 = find(r, 'zero', (x) => x.concurrency === 64);
      lines.push(
        `| ${r.surface} | ${r.store} | ${pair(c1?.added_ttft_p50_ms, c1?.added_ttft_p99_ms, 2)} | ${pair(c64?.added_ttft_p50_ms, c64?.added_ttft_p99_ms, 2)} | ` +
          `${pair(slow?.added_ttft_p50_ms, slow?.added_ttft_p99_ms, 2)} | ${withFloor(best?.turns_per_s, best?.turns_per_s_vs_floor, 0)}${best ? ` @c=${best.concurrency}` : ''} | ` +
          `${withFloor(zero64?.cpu_ms_per_turn, zero64?.cpu_vs_floor, 2)} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    `<details><summary><b>Per surface</b>: all ${measured.length} rows (closed loop unless an offered rate is given; TTFT of POST /chat is its whole turn, it does not stream)</summary>`,
    '',
    '| surface | store | mode | load | TTFT p50 / p99 | added TTFT p50 / p99 | turn p50 / p99 | added turn p50 / p99 | turns/s (x floor) | errors | CPU ms/turn (x floor) | max gap | RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of measured) {
    const load = r.load === 'open' ? `${r.offered_per_s}/s offered` : `c=${r.concurrency}`;
    lines.push(
      `| ${r.surface} | ${r.store} | ${r.mode} | ${load} | ${pair(r.ttft_p50_ms, r.ttft_p99_ms)} | ${pair(r.added_ttft_p50_ms, r.added_ttft_p99_ms, 2)} | ` +
        `${pair(r.turn_p50_ms, r.turn_p99_ms)} | ${pair(r.added_turn_p50_ms, r.added_turn_p99_ms, 2)} | ${withFloor(r.turns_per_s, r.turns_per_s_vs_floor, 0)} | ${r.errors ?? '–'} | ` +
        `${withFloor(r.cpu_ms_per_turn, r.cpu_vs_floor, 2)} | ${n(r.max_gap_ms, 0)} | ${n(r.rss_mb, 0)} |`,
    );
  }
  lines.push('', '</details>', '');

  const special: string[] = [];
  for (const h of figure<HistoryFigure>('history_1000_vs_10_messages')) {
    special.push(
      `- **Long history** (${h.surface}, ${h.store}, ${h.mode}): turn p50 ${n(h.big.turn_p50_ms, 2)} ms on a chat of ${h.big_chat_messages} messages vs ` +
        `${n(h.small.turn_p50_ms, 2)} ms on one of ${h.small_chat_messages} → **${n(h.turn_p50_ratio, 2)}x** (TTFT ${n(h.ttft_p50_ratio, 2)}x; ` +
        `service CPU ${n(h.big.cpu_ms_per_turn, 2)} vs ${n(h.small.cpu_ms_per_turn, 2)} ms/turn, ${n(h.cpu_ratio, 2)}x).`,
    );
  }
  for (const s of figure<StallFigure>('max_paced_streams_without_stall')) {
    const tried = s.levels
      .map((l) => `${l.streams}${l.passed ? '' : '✗'} (max gap ${n(l.max_gap_ms, 0)}, TTFT p99 ${n(l.ttft_p99_ms, 0)}${l.verdict ? `; ${l.verdict}` : ''}; load generator loop max ${n(l.loadgen_loop_delay_max_ms, 0)})`)
      .join(', ');
    special.push(
      `- **Concurrent streams at a delta every ${s.pace_ms ?? 5} ms without a stall** (${s.surface}, ${s.store}; a stall = a gap over ${s.gap_limit_ms} ms between two pieces of text): ` +
        `**${s.max_streams}${s.first_failed_streams === null ? '+' : ''}**. Levels: ${tried}.`,
    );
  }
  for (const i of figure<IdleFigure>('idle_subscription_memory')) {
    if (!i.available) special.push(`- **Idle subscription memory**: ${i.note}.`);
    else {
      const part = (label: string, x: IdleFigure['own_socket']) =>
        x ? `${label}: **${n(x.kb_per_subscription)} KB** each (${x.subscriptions} subscriptions, RSS ${n(x.rss_before_mb)} → ${n(x.rss_after_mb)} MB)` : undefined;
      special.push(`- **Idle subscription memory** (graphql-ws, ${i.store}): ${[part('own socket', i.own_socket), part('one shared socket', i.shared_socket)].filter(Boolean).join('; ')}.`);
    }
  }
  for (const p of figure<PeerFigure>('peer')) special.push(`- **Peer** ${p.name}${p.version ? ` ${p.version}` : ''}: ${p.note}.`);
  for (const r of rows.filter((row) => !row.available)) special.push(`- **${surfaceInfo(r.surface).label}** (${r.store}): ${r.note}.`);
  for (const note of run.notes) special.push(`- ${note}`);
  if (special.length > 0) lines.push(...special, '');
  return lines.join('\n');
}

/** Replaces what is between the markers (adding heading and markers at the end when missing). */
export function writeReadmeSection(markdown: string): void {
  const path = join(ROOT, 'README.md');
  let readme = readFileSync(path, 'utf8');
  if (!readme.includes(START) || !readme.includes(END)) {
    readme = `${readme.trimEnd()}\n\n## Benchmarks\n\n${START}\n${END}\n`;
  }
  const before = readme.slice(0, readme.indexOf(START) + START.length);
  const after = readme.slice(readme.indexOf(END));
  writeFileSync(path, `${before}\n${markdown.trim()}\n${after}`);
}
