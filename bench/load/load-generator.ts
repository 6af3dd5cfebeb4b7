import { performance } from 'node:perf_hooks';
import { serveRpc } from '../lib/rpc.js';
import { surfaceInfo, type SurfaceName } from '../surfaces/index.js';
import type { Target } from '../surfaces/surface.js';
import type { CellSpec } from './cell.js';
import { runCell } from './loops.js';

/**
 * The load generator, in its own process: the orchestrator sends it cells to
 * run and it measures every turn from the client side. One cell at a time.
 */

const connect = async (surface: SurfaceName, target: Target, slots: number) => (await surfaceInfo(surface).load()).connect(target, { slots });

let idle: { close(): Promise<void> } | undefined;

serveRpc({
  async cell(spec: CellSpec) {
    const slots = spec.load.kind === 'closed' ? spec.load.concurrency : spec.load.maxInFlight;
    const client = await connect(spec.surface, spec.target, slots);
    try {
      return await runCell(client, spec);
    } finally {
      await client.close();
    }
  },

  /** One turn with a deadline: does this surface answer at all? */
  async probe({ surface, target, timeoutMs }: { surface: SurfaceName; target: Target; timeoutMs: number }) {
    const client = await connect(surface, target, 1);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const result = await client.turn({ userId: 'bench-probe', chatId: undefined, text: 'Hello!', startedAt: performance.now(), signal: abort.signal });
      return { ok: true, deltas: result.deltas };
    } catch (error) {
      return { ok: false, error: abort.signal.aborted ? `no reply within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      await client.close();
    }
  },

  /** Builds chats with history: each gets `turns` sequential turns (2 stored messages each, plus the system prompt). */
  async seed({ surface, target, userId, chats, turns, text }: { surface: SurfaceName; target: Target; userId: string; chats: number; turns: number; text: string }) {
    const client = await connect(surface, target, chats);
    try {
      const seedOne = async () => {
        let chatId: string | undefined;
        for (let i = 0; i < turns; i += 1) {
          const abort = new AbortController();
          const timer = setTimeout(() => abort.abort(), 30_000);
          try {
            chatId = (await client.turn({ userId, chatId, text, startedAt: performance.now(), signal: abort.signal })).chatId;
          } finally {
            clearTimeout(timer);
          }
          if (chatId === undefined) throw new Error(`${surface} returned no chat id`);
        }
        return chatId!;
      };
      return await Promise.all(Array.from({ length: chats }, seedOne));
    } finally {
      await client.close();
    }
  },

  async idleOpen(args: { target: Target; userId: string; chatId: string; count: number; sharedSocket: boolean }) {
    const { openIdleSubscriptions } = await import('../surfaces/graphql-ws.js');
    const opened = await openIdleSubscriptions(args.target, args);
    idle = opened;
    return { opened: opened.opened, errors: opened.errors.slice(0, 5) };
  },

  async idleClose() {
    await idle?.close();
    idle = undefined;
    return {};
  },
});

// The orchestrator owns this process: when it goes, so does the load.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
