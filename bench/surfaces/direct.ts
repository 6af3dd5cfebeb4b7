import { LeanUpstream } from '../floor/lean-upstream.js';
import { TurnClock, TurnError, type Surface, type SurfaceClient, type Target, type TurnInput, type TurnResult } from './surface.js';

/**
 * The baseline: the upstream itself, with the request the service would send
 * for a new chat (system prompt + the user message). Every "added" figure is
 * a surface's time minus this one's, same mode and load.
 *
 * Its client is the leanest there is (node:http + the service's SSE decoder,
 * bench/floor/lean-upstream.ts), not the `openai` SDK: the SDK's Stream costs
 * ~5 ms of client CPU per 64-delta reply, which saturated the load generator
 * from 64 paced streams on, inflated the baseline's TTFT by its own queueing
 * and made "added" figures small or negative exactly where they matter.
 */
export function openAISurface(baseUrlOf: (target: Target) => string | undefined, headersOf: (target: Target) => Record<string, string> = () => ({})): Surface {
  return {
    async connect(target) {
      const baseURL = baseUrlOf(target);
      if (baseURL === undefined) throw new Error('no base URL for this surface');
      const upstream = new LeanUpstream(baseURL, 'sk-bench', target.model, target.systemPrompt, headersOf(target));
      const surface: SurfaceClient = {
        turn(input: TurnInput) {
          const clock = new TurnClock(input.startedAt);
          return new Promise<TurnResult>((resolve, reject) => {
            upstream.stream(
              input.text,
              {
                delta: () => clock.text(),
                finish: () => resolve(clock.done(undefined)),
                fail: (reason) => reject(new TurnError(reason)),
              },
              input.signal,
            );
          });
        },
        async close() {
          upstream.close();
        },
      };
      return surface;
    },
  };
}

export const surface = openAISurface((target) => target.upstreamUrl);
