import OpenAI from 'openai';
import { TurnClock, type Surface, type SurfaceClient, type Target, type TurnInput } from './surface.js';

/**
 * The baseline: the official SDK straight to the upstream, with the request
 * the service would send for a new chat (system prompt + the user message).
 * Every "added" figure is a surface's time minus this one's, same mode and load.
 */
export function openAISurface(baseUrlOf: (target: Target) => string | undefined, headersOf: (target: Target) => Record<string, string> = () => ({})): Surface {
  return {
    async connect(target) {
      const baseURL = baseUrlOf(target);
      if (baseURL === undefined) throw new Error('no base URL for this surface');
      const client = new OpenAI({ apiKey: 'sk-bench', baseURL, maxRetries: 0, timeout: 60_000, defaultHeaders: headersOf(target) });
      const surface: SurfaceClient = {
        async turn(input: TurnInput) {
          const clock = new TurnClock(input.startedAt);
          const stream = await client.chat.completions.create(
            {
              model: target.model,
              messages: [
                { role: 'system', content: target.systemPrompt },
                { role: 'user', content: input.text },
              ],
              stream: true,
              stream_options: { include_usage: true },
            },
            { signal: input.signal },
          );
          let finished = false;
          for await (const chunk of stream) {
            const choice = chunk.choices[0];
            if (choice?.delta?.content) clock.text();
            if (choice?.finish_reason) finished = true;
          }
          if (!finished) throw new Error('the stream ended without a finish_reason');
          return clock.done(undefined);
        },
        async close() {},
      };
      return surface;
    },
  };
}

export const surface = openAISurface((target) => target.upstreamUrl);
