import OpenAI, { type APIError } from 'openai';
import type { ChatConfig } from '../../domain/chat-config.js';
import { DomainError } from '../../domain/errors.js';
import type { ModelSpec } from '../../domain/models.js';
import type { Completion, CompletionChunk, CompletionMessage, CompletionModel, CompletionRequest } from '../../use-cases/ports.js';
import { CompletionSseDecoder, InvalidUpstreamChunk, UpstreamErrorEvent, usageOf } from './completion-sse.js';
import { createNodeHttpFetch, eventStreamOf, type NodeHttpFetch } from './node-http-fetch.js';

export interface OpenAICompletionModelOptions {
  /** Optional with a baseURL: many OpenAI-compatible servers take no key. */
  readonly apiKey?: string | undefined;
  /** Any OpenAI-compatible server; default OpenAI's. */
  readonly baseURL?: string | undefined;
  /**
   * How long to wait for the response to start and, once streaming, for each
   * next chunk. Default 10 minutes, the SDK's: reasoning models can think long.
   */
  readonly timeoutMs?: number | undefined;
  /** SDK retries of failures before the first byte (connection errors, 408/409/429/5xx). Default 2. */
  readonly maxRetries?: number | undefined;
  /**
   * The SDK's transport. Default: createNodeHttpFetch() (node:http with
   * keep-alive; stream bodies read as Node streams). Pass `globalThis.fetch`
   * for undici's, whose bodies are read as WHATWG streams.
   */
  readonly fetch?: NodeHttpFetch | undefined;
  /** A ready client instead of one built from the options above (timeoutMs still applies between chunks). */
  readonly client?: OpenAI | undefined;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_MAX_RETRIES = 2;

type StreamingParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type SamplingParams = Partial<Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, 'stream' | 'model' | 'messages'>>;

/** The real model, through the official SDK's streaming Chat Completions. */
export class OpenAICompletionModel implements CompletionModel {
  readonly description: string;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;

  constructor(options: OpenAICompletionModelOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Everything is passed explicitly so the SDK does not read OPENAI_* from
    // the environment behind the validated config's back.
    this.client =
      options.client ??
      new OpenAI({
        apiKey: options.apiKey ?? 'no-key',
        baseURL: options.baseURL ?? 'https://api.openai.com/v1',
        timeout: this.timeoutMs,
        maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
        fetch: options.fetch ?? createNodeHttpFetch(),
      });
    this.description = options.baseURL === undefined ? 'openai' : `OpenAI-compatible server at ${hostOf(options.baseURL)}`;
  }

  /**
   * The SDK opens the request (auth, base URL, retries before the first byte,
   * the timeout until the headers, HTTP errors as APIError); the body is then
   * read here with CompletionSseDecoder instead of the SDK's Stream, whose
   * per-chunk buffer copies, line splitting and per-event objects cost more
   * than the rest of a turn's upstream handling together.
   */
  async *stream(request: CompletionRequest): AsyncGenerator<CompletionChunk> {
    const { signal } = request;
    const response = await this.open(request);
    if (response === undefined) return;
    const body = bodyOf(response);
    if (body === undefined) throw new DomainError('UPSTREAM_UNAVAILABLE', 'The model provider sent an invalid response');

    const sse = new CompletionSseDecoder();
    let ended = false;
    let stalled = false;
    let waiting = true;
    // The SDK's timeout ends when the headers arrive; this one covers an
    // upstream that goes silent mid-stream. It counts only while we wait for
    // upstream, never while our consumer handles a delta. One timer, re-armed
    // with refresh(): a new one per chunk was an allocation per delta.
    const idleTimer: NodeJS.Timeout = setTimeout(() => {
      if (!waiting) {
        idleTimer.refresh();
        return;
      }
      stalled = true;
      body.close();
    }, this.timeoutMs);
    // The SDK aborts its request on this signal too; closing here does not depend on it.
    signal.addEventListener('abort', body.close, { once: true });
    if (signal.aborted) body.close();

    try {
      for (;;) {
        const { value, done } = await body.read();
        waiting = false;
        if (done) {
          ended = true;
          sse.end();
        } else {
          sse.push(value);
        }
        for (let text = sse.nextText(); text !== undefined; text = sse.nextText()) {
          if (text !== '') yield { type: 'delta', text };
          if (signal.aborted) return;
        }
        if (ended) break;
        waiting = true;
        idleTimer.refresh();
      }
    } catch (error) {
      if (signal.aborted) return;
      // The reply is whole once upstream said why it finished; losing only
      // the usage chunk after that does not make it incomplete. A stall
      // closed the body itself: reported below, as a stall.
      if (sse.finishReason === null && !stalled) throw upstreamError(error instanceof UpstreamErrorEvent ? errorEventOf(error, response) : error);
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', body.close);
      // The consumer stopped reading, or the stream failed: close the upstream request.
      if (!ended) body.close();
    }

    // Aborted: a quiet end, like a normal end.
    if (signal.aborted) return;
    if (sse.finishReason === null) {
      throw new DomainError(
        'UPSTREAM_UNAVAILABLE',
        stalled ? 'The model provider stopped responding' : 'The model provider ended the reply before it was complete',
      );
    }
    yield { type: 'finish', finishReason: sse.finishReason, usage: sse.usage };
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const { model, messages, config, signal } = request;
    let response: OpenAI.Chat.ChatCompletion;
    try {
      response = await this.client.chat.completions.create(
        { model: model.name, messages: messages.map(({ role, content }) => ({ role, content })), stream: false, ...samplingParams(model, config) },
        { signal },
      );
    } catch (error) {
      throw upstreamError(error);
    }
    const choice = response.choices?.[0];
    if (!choice || typeof choice.message?.content !== 'string' || !choice.finish_reason) {
      throw new DomainError('UPSTREAM_UNAVAILABLE', 'The model provider sent an invalid response');
    }
    return { text: choice.message.content, finishReason: choice.finish_reason, usage: usageOf(response.usage) };
  }

  /** The response, its headers received and its status OK; undefined when the caller aborted first. */
  private async open(request: CompletionRequest): Promise<Response | undefined> {
    try {
      // The SDK's request, retries and error handling, without its stream parser (asResponse) and with
      // the body already encoded (a string body with its content type is sent as it is).
      return await this.client
        .post('/chat/completions', {
          body: streamingRequestJson(request),
          headers: { 'content-type': 'application/json' },
          stream: true,
          signal: request.signal,
        })
        .asResponse();
    } catch (error) {
      if (request.signal.aborted) return undefined;
      throw upstreamError(error);
    }
  }
}

/** Host only: a base URL may carry credentials, and the description goes to the logs. */
function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return 'a custom base URL';
  }
}

/**
 * The JSON of a streaming request. The parameters are typed as the SDK's;
 * the messages are encoded one by one and each encoding kept with its
 * message (see wireMessages): most of a long chat's prompt is the same
 * message objects as on its previous turn, so a turn encodes only what is new.
 */
function streamingRequestJson({ model, messages, config }: CompletionRequest): string {
  const params: Omit<StreamingParams, 'messages'> = {
    model: model.name,
    stream: true,
    stream_options: { include_usage: true },
    ...samplingParams(model, config),
  };
  return `{"messages":[${messages.map(encodedMessage).join(',')}],${JSON.stringify(params).slice(1)}`;
}

const messageEncodings = new WeakMap<CompletionMessage, string>();

function encodedMessage(message: CompletionMessage): string {
  let json = messageEncodings.get(message);
  if (json === undefined) {
    const wire: OpenAI.Chat.ChatCompletionMessageParam = { role: message.role, content: message.content };
    json = JSON.stringify(wire);
    messageEncodings.set(message, json);
  }
  return json;
}

/**
 * Reasoning models (o-series, gpt-5) reject temperature, top_p, the
 * penalties and stop, and count the reply budget as max_completion_tokens.
 */
function samplingParams(model: ModelSpec, config: ChatConfig): SamplingParams {
  if (model.reasoning) return { max_completion_tokens: config.maxTokens };
  return {
    temperature: config.temperature,
    top_p: config.topP,
    max_tokens: config.maxTokens,
    presence_penalty: config.presencePenalty,
    frequency_penalty: config.frequencyPenalty,
    ...(config.stop.length > 0 ? { stop: [...config.stop] } : {}),
  };
}

/** A response body, read chunk by chunk; `close` ends the request (and a pending read) at once. */
interface ByteSource {
  read(): Promise<IteratorResult<Uint8Array>>;
  readonly close: () => void;
}

/** The Node stream createNodeHttpFetch hands over, else the WHATWG body of another fetch's Response. */
function bodyOf(response: Response): ByteSource | undefined {
  const stream = eventStreamOf(response);
  if (stream !== undefined) {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    return { read: () => chunks.next(), close: () => stream.destroy() };
  }
  if (response.body === null) return undefined;
  const reader = response.body.getReader();
  return {
    read: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    close: () => {
      reader.cancel().catch(() => {});
    },
  };
}

/** An error event as the SDK's stream reports it: an APIError without status, carrying the event's error and the response headers. */
function errorEventOf(event: UpstreamErrorEvent, response: Response): APIError {
  return new OpenAI.APIError(undefined, event.error as object, undefined, response.headers);
}

/**
 * Upstream failures as stable codes. Messages are safe for any client: the
 * key, the host and the upstream body stay in `cause`, for the logs.
 */
export function upstreamError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const fail = (message: string) => new DomainError('UPSTREAM_UNAVAILABLE', message, { cause: error });
  if (error instanceof OpenAI.APIConnectionTimeoutError) return fail('The model provider did not answer in time');
  if (error instanceof OpenAI.APIConnectionError) return fail('The model provider could not be reached');
  if (error instanceof SyntaxError || error instanceof InvalidUpstreamChunk) return fail('The model provider sent an invalid response');
  if (!(error instanceof OpenAI.APIError)) return fail('The connection to the model provider was lost');
  // An error event inside the stream carries no HTTP status.
  if (error.status === undefined) return fail('The model provider reported an error');
  if (error.status === 429) {
    return new DomainError('RATE_LIMITED', 'The model provider is rate limiting requests; try again shortly', {
      cause: error,
    });
  }
  if (error.status >= 500) return fail('The model provider failed to answer');
  if (error.code === 'context_length_exceeded') {
    return fail("The conversation is too long for the model's context window");
  }
  if (error.status === 401 || error.status === 403) return fail('The model provider refused the service credentials');
  if (error.status === 404) return fail('The model provider does not offer this model');
  return fail('The model provider rejected the request');
}
