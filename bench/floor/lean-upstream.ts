import { Agent, request, type IncomingMessage } from 'node:http';
import { CompletionSseDecoder, InvalidUpstreamChunk, UpstreamErrorEvent } from '../../src/infra/openai/completion-sse.js';
import type { TokenUsage } from '../../src/domain/message.js';

/**
 * The leanest upstream client: one streaming Chat Completions request over
 * node:http (keep-alive), its SSE body read with the service's own
 * CompletionSseDecoder (eventsource-parser) and handed on delta by delta
 * through callbacks — no SDK, no async iteration, a few closures per request.
 * The floor relays with it; the `direct` baseline and the peer surface
 * measure with it, so their client's own cost stays small beside what they
 * measure.
 */

export interface RelaySink {
  delta(text: string): void;
  finish(finishReason: string, usage: TokenUsage | null): void;
  fail(reason: string): void;
}

export class LeanUpstream {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096, scheduling: 'lifo' });
  private readonly url: URL;
  private readonly head: string;
  private readonly headers: Record<string, string>;

  /** `baseUrl` ends in /v1, as OPENAI_BASE_URL does; `headers` go with every request. */
  constructor(baseUrl: string, apiKey: string, model: string, systemPrompt: string, headers: Readonly<Record<string, string>> = {}) {
    this.url = new URL(`${baseUrl.replace(/\/$/, '')}/chat/completions`);
    this.headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, accept: 'text/event-stream', ...headers };
    // The request the service sends for a new chat, minus the history: every byte but the user text fixed once.
    this.head = `{"model":${JSON.stringify(model)},"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":${JSON.stringify(systemPrompt)}},{"role":"user","content":`;
  }

  /** Streams one reply into `sink`; `signal` (optional) cancels the request. */
  stream(userText: string, sink: RelaySink, signal?: AbortSignal): void {
    const body = `${this.head}${JSON.stringify(userText)}}]}`;
    let settled = false;
    const settle = (reason: string | undefined, decoder?: CompletionSseDecoder) => {
      if (settled) return;
      settled = true;
      if (reason !== undefined) sink.fail(reason);
      else if (decoder?.finishReason == null) sink.fail('the upstream ended the reply before it was complete');
      else sink.finish(decoder.finishReason, decoder.usage);
    };
    const req = request(
      this.url,
      {
        method: 'POST',
        agent: this.agent,
        headers: { ...this.headers, 'content-length': String(Buffer.byteLength(body)) },
        ...(signal ? { signal } : {}),
      },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          return settle(`upstream HTTP ${res.statusCode}`);
        }
        const decoder = new CompletionSseDecoder();
        res.on('data', (bytes: Buffer) => {
          if (settled) return;
          try {
            decoder.push(bytes);
            for (let text = decoder.nextText(); text !== undefined; text = decoder.nextText()) if (text !== '') sink.delta(text);
          } catch (error) {
            res.destroy();
            settle(error instanceof UpstreamErrorEvent ? 'the upstream reported an error' : error instanceof InvalidUpstreamChunk || error instanceof SyntaxError ? 'invalid upstream response' : String(error));
          }
        });
        res.on('end', () => {
          decoder.end();
          try {
            for (let text = decoder.nextText(); text !== undefined; text = decoder.nextText()) if (text !== '') sink.delta(text);
          } catch {
            // Only what ended the reply matters now.
          }
          settle(undefined, decoder);
        });
        res.on('error', () => settle('the connection to the upstream was lost'));
      },
    );
    req.on('error', () => settle(signal?.aborted ? 'aborted' : 'the upstream could not be reached'));
    req.end(body);
  }

  close(): void {
    this.agent.destroy();
  }
}
