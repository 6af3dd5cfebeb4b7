import type { MessageRole, TokenUsage } from '../../domain/message.js';
import { messageTokens, promptTokens } from '../../domain/token-rules.js';
import type {
  Completion,
  CompletionChunk,
  CompletionMessage,
  CompletionModel,
  CompletionRequest,
  TokenCounter,
} from '../../use-cases/ports.js';

export interface OfflineCompletionModelOptions {
  readonly tokens: TokenCounter;
  /** Pause before each delta, to look like a real stream in demos and benchmarks. Default 0. */
  readonly delayMs?: number | undefined;
}

const ROLES: Record<CompletionMessage['role'], MessageRole> = {
  system: 'SYSTEM',
  user: 'USER',
  assistant: 'ASSISTANT',
};

/**
 * Runs the service with no model account: streams a deterministic reply that
 * describes what reached it, with usage counted exactly as OpenAI bills it.
 * Like a real model, it stops at the reply budget with 'length'.
 */
export class OfflineCompletionModel implements CompletionModel {
  readonly description = 'offline stand-in (no model is called; set OPENAI_API_KEY or OPENAI_BASE_URL for a real one)';
  private readonly tokens: TokenCounter;
  private readonly delayMs: number;

  constructor(options: OfflineCompletionModelOptions) {
    this.tokens = options.tokens;
    this.delayMs = options.delayMs ?? 0;
  }

  async *stream({ model, messages, config, signal }: CompletionRequest): AsyncGenerator<CompletionChunk> {
    const count = (text: string) => this.tokens.count(text, model.encoding);
    const prompt = promptTokens(messages.map((m) => messageTokens({ role: ROLES[m.role], content: m.content }, count)));
    const last = messages.at(-1)?.content ?? '';
    const reply =
      `Offline stand-in reply: I received ${plural(messages.length, 'message')} (${prompt} prompt tokens) ` +
      `for model ${model.name}. Your last message was ${plural(Array.from(last).length, 'character')} long. ` +
      'Set OPENAI_API_KEY or OPENAI_BASE_URL to talk to a real model.';

    const replyTokens = count(reply);
    const fits = replyTokens <= config.maxTokens;
    let sent = '';
    for (const piece of reply.match(/\s*\S+/g) ?? []) {
      if (!fits && count(sent + piece) > config.maxTokens) break;
      await sleep(this.delayMs, signal);
      if (signal.aborted) return;
      sent += piece;
      yield { type: 'delta', text: piece };
    }
    const usage: TokenUsage = { promptTokens: prompt, completionTokens: fits ? replyTokens : count(sent) };
    yield { type: 'finish', finishReason: fits ? 'stop' : 'length', usage };
  }

  /** The same deterministic answer, whole: what the stream would have delivered. */
  async complete(request: CompletionRequest): Promise<Completion> {
    let text = '';
    for await (const chunk of this.stream({ ...request, signal: new AbortController().signal })) {
      if (chunk.type === 'delta') text += chunk.text;
      else return { text, finishReason: chunk.finishReason, usage: chunk.usage };
    }
    throw new Error('the offline stand-in ended without finishing');
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
