import { SURFACES } from '../surfaces/index.js';
import type { Entry, HistoryFigure, IdleFigure, Row, StallFigure, TargetCheck } from './results.js';

const isRow = (e: Entry): e is Row => 'surface' in e && !('figure' in e);
const streamingService = new Set(SURFACES.filter((s) => s.kind === 'service' && s.streaming).map((s) => s.name));
const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));

/** The targets, checked against what this run measured (null: not measured here). */
export function checkTargets(entries: readonly Entry[]): TargetCheck[] {
  const rows = entries.filter(isRow).filter((r) => r.available);
  const checks: TargetCheck[] = [];

  for (const [store, goal] of [['sqlite', 2], ['mysql', 5]] as const) {
    const at64 = rows.filter((r) => r.store === store && r.mode === 'paced' && r.load === 'closed' && r.concurrency === 64 && streamingService.has(r.surface));
    checks.push({
      target: `added TTFT p99, 64 paced streams, ${store}`,
      goal: `≤ ${goal} ms on every streaming surface`,
      measured: at64.length === 0 ? 'not measured in this run' : at64.map((r) => `${r.surface} ${fmt(r.added_ttft_p99_ms, 2)} ms`).join(', '),
      met: at64.length === 0 ? null : at64.every((r) => r.added_ttft_p99_ms !== null && r.added_ttft_p99_ms <= goal && r.errors === 0),
    });
  }

  for (const [surface, goal] of [['grpc-v1', 1500], ['graphql-ws', 1000]] as const) {
    const zero = rows.filter((r) => r.surface === surface && r.store === 'sqlite' && r.mode === 'zero' && r.load === 'closed');
    const best = zero.reduce<Row | undefined>((a, r) => (a === undefined || (r.turns_per_s ?? 0) > (a.turns_per_s ?? 0) ? r : a), undefined);
    checks.push({
      target: `turns/s through ${surface}, zero-delay upstream, SQLite`,
      goal: `≥ ${goal}`,
      measured: best ? `${fmt(best.turns_per_s, 0)} (at concurrency ${best.concurrency})` : 'not measured in this run',
      met: best ? (best.turns_per_s ?? 0) >= goal : null,
    });
  }

  const history = entries.filter((e): e is HistoryFigure => 'figure' in e && e.figure === 'history_1000_vs_10_messages');
  checks.push({
    target: 'a turn on a 1,000-message chat vs a 10-message chat',
    goal: '≤ 1.2x (turn p50)',
    measured: history.length === 0 ? 'not measured in this run' : history.map((h) => `${h.store}/${h.mode} ${fmt(h.turn_p50_ratio, 2)}x`).join(', '),
    met: history.length === 0 ? null : history.every((h) => h.turn_p50_ratio !== null && h.turn_p50_ratio <= 1.2),
  });

  const allStalls = entries.filter((e): e is StallFigure => 'figure' in e && e.figure === 'max_paced_streams_without_stall');
  const stalls = allStalls.filter((s) => s.surface !== 'direct');
  const ceiling = allStalls.find((s) => s.surface === 'direct');
  checks.push({
    target: 'concurrent paced streams with no gap over 10x the pacing',
    goal: '≥ 2,000',
    measured:
      stalls.length === 0
        ? 'not measured in this run'
        : stalls.map((s) => `${s.surface} ${s.max_streams}${s.first_failed_streams === null ? '+' : ''}`).join(', ') +
          (ceiling ? ` (the direct call alone: ${ceiling.max_streams}${ceiling.first_failed_streams === null ? '+' : ''})` : ''),
    met: stalls.length === 0 ? null : stalls.every((s) => s.max_streams >= 2000),
  });

  const idle = entries.find((e): e is IdleFigure => 'figure' in e && e.figure === 'idle_subscription_memory');
  const perSub = idle?.own_socket?.kb_per_subscription;
  checks.push({
    target: 'memory per idle open subscription (graphql-ws, own socket)',
    goal: '≤ 50 KB',
    measured: perSub === undefined ? (idle?.note ?? 'not measured in this run') : `${fmt(perSub)} KB`,
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
    target: 'ahead of the peer gateway on added TTFT (p50, SQLite, same mode and concurrency)',
    goal: 'every streaming surface below the peer',
    measured: total === 0 ? 'not measured in this run' : `${won}/${total} comparisons won; ${comparisons.join('; ')}`,
    met: total === 0 ? null : won === total,
  });
  return checks;
}
