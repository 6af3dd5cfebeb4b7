import { SURFACES } from '../surfaces/index.js';
import type { Entry, HistoryFigure, IdleFigure, Row, StallFigure, TargetCheck } from './results.js';

const isRow = (e: Entry): e is Row => 'surface' in e && !('figure' in e);
const streamingService = new Set(SURFACES.filter((s) => s.kind === 'service' && s.streaming).map((s) => s.name));
const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));
const thousands = (n: number | null | undefined) => (n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const NOT_MEASURED = 'not measured in this run';

/**
 * The targets of issue 13 ("The hot path"), checked against what this run
 * measured, then the earlier ones of issue 6 that it did not replace (idle
 * subscription memory, the peer gateway). `met` is null when not measured.
 * Every check is on SQLite unless it says otherwise.
 */
export function checkTargets(entries: readonly Entry[]): TargetCheck[] {
  const rows = entries.filter(isRow).filter((r) => r.available);
  const checks: TargetCheck[] = [];
  const cell = (surface: string, mode: string, concurrency: number, store = 'sqlite') =>
    rows.find((r) => r.surface === surface && r.store === store && r.mode === mode && r.load === 'closed' && r.concurrency === concurrency);

  // 1. CPU per turn against the floor, zero-delay, 64 clients.
  {
    const measured = (['grpc-v1', 'graphql-ws'] as const).map((surface) => ({ surface, row: cell(surface, 'zero', 64) }));
    const withRatio = measured.filter((m) => m.row?.cpu_vs_floor != null);
    checks.push({
      target: 'CPU per turn vs the floor, zero-delay upstream, 64 clients (issue 13)',
      goal: '≤ 2x the floor (grpc-v1 vs floor-grpc, graphql-ws vs floor-ws, same run)',
      measured:
        measured.every((m) => m.row === undefined)
          ? NOT_MEASURED
          : measured
              .map(({ surface, row }) =>
                row === undefined
                  ? `${surface} not measured`
                  : row.cpu_vs_floor == null
                    ? `${surface} ${fmt(row.cpu_ms_per_turn, 2)} ms (no floor in this run)`
                    : `${surface} ${fmt(row.cpu_ms_per_turn, 2)} ms = ${fmt(row.cpu_vs_floor, 2)}x ${row.floor} ${fmt(floorCpu(rows, row), 2)} ms`,
              )
              .join('; '),
      met: withRatio.length < measured.length ? null : withRatio.every((m) => m.row!.cpu_vs_floor! <= 2),
    });
  }

  // 2. Throughput, zero-delay: the best closed-loop concurrency.
  for (const [surface, goal] of [['grpc-v1', 1500], ['graphql-ws', 1000]] as const) {
    const zero = rows.filter((r) => r.surface === surface && r.store === 'sqlite' && r.mode === 'zero' && r.load === 'closed');
    const best = zero.reduce<Row | undefined>((a, r) => (a === undefined || (r.turns_per_s ?? 0) > (a.turns_per_s ?? 0) ? r : a), undefined);
    checks.push({
      target: `turns/s through ${surface}, zero-delay upstream (issue 13)`,
      goal: `≥ ${thousands(goal)}`,
      measured: best
        ? `${thousands(best.turns_per_s)} (at concurrency ${best.concurrency}` +
          (best.turns_per_s_vs_floor == null ? ')' : `; ${fmt(best.turns_per_s_vs_floor, 2)}x the floor's ${thousands(floorTurns(rows, best))})`)
        : NOT_MEASURED,
      met: best ? (best.turns_per_s ?? 0) >= goal : null,
    });
  }

  // 3. Added TTFT at 64 paced streams (5 ms), and graphql-ws against grpc-v1 there.
  {
    const surfaces = ['grpc-v1', 'grpc-legacy', 'graphql-ws', 'graphql-sse'];
    const at64 = surfaces.map((surface) => ({ surface, row: cell(surface, 'paced', 64) }));
    const measured = at64.filter((m) => m.row !== undefined);
    checks.push({
      target: 'added TTFT p99, 64 paced streams (5 ms between deltas) (issue 13)',
      goal: '≤ 10 ms on grpc-v1, grpc-legacy, graphql-ws and graphql-sse',
      measured: measured.length === 0 ? NOT_MEASURED : at64.map(({ surface, row }) => `${surface} ${row ? `${fmt(row.added_ttft_p99_ms, 1)} ms` : 'not measured'}`).join(', '),
      met: measured.length < at64.length ? (measured.some((m) => !withinTtft(m.row!)) ? false : null) : measured.every((m) => withinTtft(m.row!)),
    });
    const ws = cell('graphql-ws', 'paced', 64);
    const grpc = cell('grpc-v1', 'paced', 64);
    const ratio = ws?.ttft_p99_ms != null && grpc?.ttft_p99_ms != null && grpc.ttft_p99_ms > 0 ? ws.ttft_p99_ms / grpc.ttft_p99_ms : undefined;
    checks.push({
      target: 'graphql-ws as fast as gRPC under load: TTFT p99 at 64 paced streams (issue 13)',
      goal: 'graphql-ws ≤ 1.2x grpc-v1',
      measured:
        ratio === undefined
          ? NOT_MEASURED
          : `${fmt(ratio, 2)}x: graphql-ws ${fmt(ws!.ttft_p99_ms)} ms vs grpc-v1 ${fmt(grpc!.ttft_p99_ms)} ms (added: ${fmt(ws!.added_ttft_p99_ms)} vs ${fmt(grpc!.added_ttft_p99_ms)} ms)`,
      met: ratio === undefined ? null : ratio <= 1.2 && ws!.errors === 0,
    });
  }

  // 4. 1,000 streams at the 20 ms pace, no gap over 200 ms.
  {
    const stalls = entries.filter((e): e is StallFigure => 'figure' in e && e.figure === 'max_paced_streams_without_stall' && e.pace_ms === 20);
    const ours = (['grpc-v1', 'graphql-ws'] as const).map((surface) => ({ surface, fig: stalls.find((s) => s.surface === surface) }));
    const ceilings = stalls.filter((s) => s.store === '-');
    const describe = (s: StallFigure) => {
      const at1000 = s.levels.find((l) => l.streams === 1000);
      const worst = s.levels.reduce((m, l) => Math.max(m, l.max_gap_ms ?? 0), 0);
      return `${s.surface} ${thousands(s.max_streams)}${s.first_failed_streams === null ? '+' : ''} streams` +
        (at1000 ? ` (at 1,000: largest gap ${fmt(at1000.max_gap_ms, 0)} ms, ${at1000.stalled_turns} of ${at1000.turns} turns over ${s.gap_limit_ms} ms${at1000.errors > 0 ? `, ${at1000.errors} errors` : ''})` : ` (largest gap ${fmt(worst, 0)} ms)`);
    };
    checks.push({
      target: 'concurrent streams at the 20 ms pace with no gap over 200 ms (issue 13)',
      goal: '≥ 1,000 on grpc-v1 and graphql-ws',
      measured:
        ours.every((o) => o.fig === undefined)
          ? NOT_MEASURED
          : ours.map((o) => (o.fig ? describe(o.fig) : `${o.surface} not measured`)).join('; ') +
            (ceilings.length > 0 ? `. Same harness without the service: ${ceilings.map(describe).join('; ')}` : ''),
      met: ours.some((o) => o.fig === undefined) ? (ours.some((o) => o.fig && o.fig.max_streams < 1000) ? false : null) : ours.every((o) => o.fig!.max_streams >= 1000),
    });
  }

  // 5. A long chat costs what a short one does.
  {
    const history = entries.filter((e): e is HistoryFigure => 'figure' in e && e.figure === 'history_1000_vs_10_messages');
    const wanted = ['sqlite/zero', 'sqlite/paced', 'mysql/zero', 'mysql/paced'];
    const missing = wanted.filter((key) => !history.some((h) => `${h.store}/${h.mode}` === key));
    checks.push({
      target: 'a turn on a 1,000-message chat vs a 10-message chat (issue 13)',
      goal: '≤ 1.2x (turn p50), zero-delay and paced, SQLite and MySQL',
      measured:
        history.length === 0
          ? NOT_MEASURED
          : history.map((h) => `${h.store}/${h.mode} ${fmt(h.turn_p50_ratio, 2)}x (TTFT ${fmt(h.ttft_p50_ratio, 2)}x, CPU ${fmt(h.cpu_ratio, 2)}x)`).join(', ') +
            (missing.length > 0 ? `; not measured: ${missing.join(', ')}` : ''),
      met: history.some((h) => h.turn_p50_ratio === null || h.turn_p50_ratio > 1.2) ? false : missing.length > 0 ? null : true,
    });
  }

  // Issue 6's targets that issue 13 left standing.
  const idle = entries.find((e): e is IdleFigure => 'figure' in e && e.figure === 'idle_subscription_memory');
  const perSub = idle?.own_socket?.kb_per_subscription;
  checks.push({
    target: 'memory per idle open subscription (graphql-ws, own socket) (issue 6)',
    goal: '≤ 50 KB',
    measured: perSub === undefined ? (idle?.note ?? NOT_MEASURED) : `${fmt(perSub)} KB`,
    met: perSub === undefined ? null : perSub <= 50,
  });

  const peerRows = rows.filter((r) => r.surface === 'peer-portkey' && r.load === 'closed');
  const comparisons: string[] = [];
  let won = 0;
  let total = 0;
  for (const peer of peerRows) {
    const ours = rows.filter((r) => streamingService.has(r.surface) && r.store === 'sqlite' && r.mode === peer.mode && r.load === 'closed' && r.concurrency === peer.concurrency);
    for (const row of ours) {
      if (row.added_ttft_p50_ms === null || peer.added_ttft_p50_ms === null) continue;
      total += 1;
      if (row.added_ttft_p50_ms < peer.added_ttft_p50_ms) won += 1;
    }
    const best = ours.reduce<Row | undefined>((a, r) => (a === undefined || (r.added_ttft_p50_ms ?? Infinity) < (a.added_ttft_p50_ms ?? Infinity) ? r : a), undefined);
    if (best) comparisons.push(`${peer.mode}/c${peer.concurrency}: ours ${fmt(best.added_ttft_p50_ms, 2)} (${best.surface}) vs peer ${fmt(peer.added_ttft_p50_ms, 2)}`);
  }
  checks.push({
    target: 'ahead of the peer gateway on added TTFT (p50, same mode and concurrency) (issue 6)',
    goal: 'every streaming surface below the peer',
    measured: total === 0 ? NOT_MEASURED : `${won}/${total} comparisons won; ${comparisons.join('; ')}`,
    met: total === 0 ? null : won === total,
  });
  return checks;
}

const withinTtft = (row: Row) => row.added_ttft_p99_ms !== null && row.added_ttft_p99_ms <= 10 && row.errors === 0;

function floorRow(rows: readonly Row[], row: Row): Row | undefined {
  return rows.find((f) => f.surface === row.floor && f.mode === row.mode && f.load === row.load && f.concurrency === row.concurrency && f.offered_per_s === row.offered_per_s);
}
const floorCpu = (rows: readonly Row[], row: Row) => floorRow(rows, row)?.cpu_ms_per_turn;
const floorTurns = (rows: readonly Row[], row: Row) => floorRow(rows, row)?.turns_per_s;
