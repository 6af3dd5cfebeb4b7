import OpenAI from 'openai';
import type { ChatConfig } from '../../domain/chat-config.js';
import { DomainError } from '../../domain/errors.js';
import type { TokenUsage } from '../../domain/message.js';
import type { ModelSpec } from '../../domain/models.js';
import type { Completion, CompletionChunk, CompletionModel, CompletionRequest } from '../../use-cases/ports.js';

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
      });
    this.description = options.baseURL === undefined ? 'openai' : `OpenAI-compatible server at ${hostOf(options.baseURL)}`;
  }

  async *stream(request: CompletionRequest): AsyncGenerator<CompletionChunk> {
    const { signal } = request;
    const stream = await this.open(request);
    if (stream === undefined) return;

    let finishReason: string | null = null;
    let usage: TokenUsage | null = null;
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
      stream.controller.abort();
    }, this.timeoutMs);

    try {
      for await (const chunk of stream) {
        waiting = false;
        usage = usageOf(chunk.usage) ?? usage;
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        const text = choice?.delta?.content;
        if (text) yield { type: 'delta', text };
        waiting = true;
        idleTimer.refresh();
      }
    } catch (error) {
      if (signal.aborted) return;
      // The reply is whole once upstream said why it finished; losing only
      // the usage chunk after that does not make it incomplete.
      if (finishReason === null) throw upstreamError(error);
    } finally {
      clearTimeout(idleTimer);
    }

    // On abort the SDK ends the stream quietly, like a normal end.
    if (signal.aborted) return;
    if (finishReason === null) {
      throw new DomainError(
        'UPSTREAM_UNAVAILABLE',
        stalled ? 'The model provider stopped responding' : 'The model provider ended the reply before it was complete',
      );
    }
    yield { type: 'finish', finishReason, usage };
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

  /** The started stream, or undefined when the caller aborted first. */
  private async open(request: CompletionRequest) {
    try {
      return await this.client.chat.completions.create(requestBody(request), { signal: request.signal });
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

function requestBody({ model, messages, config }: CompletionRequest): StreamingParams {
  return {
    model: model.name,
    messages: messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    stream_options: { include_usage: true },
    ...samplingParams(model, config),
  };
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

function usageOf(usage: OpenAI.CompletionUsage | null | undefined): TokenUsage | null {
  if (!usage) return null;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = usage;
  const valid = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return valid(promptTokens) && valid(completionTokens) ? { promptTokens, completionTokens } : null;
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
  if (error instanceof SyntaxError) return fail('The model provider sent an invalid response');
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
