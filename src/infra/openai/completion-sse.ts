import { createParser, type EventSourceMessage, type EventSourceParser, type ParseError } from 'eventsource-parser';
import type { TokenUsage } from '../../domain/message.js';
import { usageDetailsOf } from './usage-details.js';

/**
 * The Chat Completions stream (`stream: true`) read by hand: Server-Sent
 * Events parsed by `eventsource-parser`, each `data:` payload checked and
 * reduced to what a reply needs — the text of the delta, the finish reason,
 * the usage. Shared by the adapter (src/infra/openai/openai-completion-model.ts)
 * and the benchmark's pass-through floor (bench/floor/), so both pay the same
 * cost per chunk.
 *
 * Per network chunk: one streaming UTF-8 decode (one TextDecoder per
 * response, so a character split across chunks is decoded whole) and one
 * parser feed. Per event: the parser's event object and a JSON.parse. No
 * closure, buffer copy or options object per chunk.
 *
 * Upstream bytes are outside input: every field read is checked, an event
 * larger than `maxEventChars` ends the stream, and nothing upstream sent ends
 * up in an error message (only in `error`/`cause`, for the logs).
 */

/** The largest event accepted (characters): a whole long reply fits in one chunk several times over. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;
/** As stored (messages.finish_reason is VARCHAR(64)). */
export const MAX_FINISH_REASON_CHARS = 64;

const STREAMING: TextDecodeOptions = { stream: true };

/** An `{"error": ...}` event in the stream: the provider failed after the response started. */
export class UpstreamErrorEvent extends Error {
  override readonly name = 'UpstreamErrorEvent';
  constructor(readonly error: unknown) {
    super('The upstream stream carried an error event');
  }
}

/** A chunk that is not what the Chat Completions API sends (bad shape, wrong types, too large). */
export class InvalidUpstreamChunk extends Error {
  override readonly name = 'InvalidUpstreamChunk';
}

export class CompletionSseDecoder {
  /** The last non-empty finish_reason seen (null: none yet). */
  finishReason: string | null = null;
  /** The last valid usage seen (with `stream_options.include_usage`, on the chunk after the finish). */
  usage: TokenUsage | null = null;
  /** `[DONE]` arrived: what follows is ignored. */
  done = false;

  private readonly utf8 = new TextDecoder();
  private readonly parser: EventSourceParser;
  /** `data` of the events parsed but not yet taken, from `next` on. */
  private readonly pending: string[] = [];
  private next = 0;
  private overflow = false;

  constructor(maxEventChars: number = MAX_EVENT_CHARS) {
    // Two closures per response, none per chunk or event.
    this.parser = createParser({
      onEvent: (event: EventSourceMessage) => {
        if (!this.done) this.pending.push(event.data);
      },
      // Unknown fields and bad `retry` values are ignored, as the SSE spec says; only an
      // oversized event is fatal (the parser stops after it).
      onError: (error: ParseError) => {
        if (error.type === 'max-buffer-size-exceeded') this.overflow = true;
      },
      maxBufferSize: maxEventChars,
    });
  }

  /** Feeds a network chunk. Throws InvalidUpstreamChunk when an event grows past the limit. */
  push(bytes: Uint8Array): void {
    this.parser.feed(this.utf8.decode(bytes, STREAMING));
    if (this.overflow) throw new InvalidUpstreamChunk('An upstream event exceeded the size limit');
  }

  /** The body ended: flushes the decoder (an event without its closing blank line is dropped, as the SDK does). */
  end(): void {
    const rest = this.utf8.decode();
    if (rest !== '' && !this.overflow) this.parser.feed(rest);
  }

  /**
   * Takes the next parsed event: its delta text ('' when it carries none, e.g. the
   * role, finish or usage chunk), or undefined when none is pending. Throws
   * UpstreamErrorEvent for an error event, SyntaxError for malformed JSON and
   * InvalidUpstreamChunk for a chunk of the wrong shape.
   */
  nextText(): string | undefined {
    const { pending } = this;
    while (this.next < pending.length) {
      const data = pending[this.next]!;
      this.next += 1;
      if (this.done) break;
      if (data.startsWith('[DONE]')) {
        this.done = true;
        break;
      }
      return this.take(data);
    }
    pending.length = 0;
    this.next = 0;
    return undefined;
  }

  private take(data: string): string {
    const chunk: unknown = JSON.parse(data);
    if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) throw new InvalidUpstreamChunk('A chunk is not a JSON object');
    const { error, choices, usage } = chunk as { error?: unknown; choices?: unknown; usage?: unknown };
    // The SDK's rule: a truthy `error` member makes the event an error, whatever else it holds.
    if (error) throw new UpstreamErrorEvent(error);
    if (usage !== undefined && usage !== null) this.usage = usageOf(usage) ?? this.usage;
    if (choices === undefined || choices === null) return '';
    if (!Array.isArray(choices)) throw new InvalidUpstreamChunk('choices is not an array');
    const choice: unknown = choices[0];
    if (choice === undefined) return '';
    if (typeof choice !== 'object' || choice === null) throw new InvalidUpstreamChunk('a choice is not an object');
    const { finish_reason: finish, delta } = choice as { finish_reason?: unknown; delta?: unknown };
    if (finish !== undefined && finish !== null) {
      if (typeof finish !== 'string' || finish.length > MAX_FINISH_REASON_CHARS) throw new InvalidUpstreamChunk('finish_reason is not a short string');
      if (finish !== '') this.finishReason = finish;
    }
    if (delta === undefined || delta === null) return '';
    if (typeof delta !== 'object') throw new InvalidUpstreamChunk('delta is not an object');
    const content = (delta as { content?: unknown }).content;
    if (content === undefined || content === null) return '';
    if (typeof content !== 'string') throw new InvalidUpstreamChunk('delta.content is not a string');
    return content;
  }
}

/** Usage as counted upstream, when both counts are whole numbers ≥ 0; null otherwise. */
export function usageOf(usage: unknown): TokenUsage | null {
  if (typeof usage !== 'object' || usage === null) return null;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = usage as { prompt_tokens?: unknown; completion_tokens?: unknown };
  return valid(promptTokens) && valid(completionTokens) ? { promptTokens, completionTokens, ...usageDetailsOf(usage) } : null;
}

const valid = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
