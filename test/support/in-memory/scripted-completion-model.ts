import { setImmediate as nextTurn } from 'node:timers/promises';
import { DomainError } from '../../../src/domain/errors.js';
import type { FinishReason, TokenUsage } from '../../../src/domain/message.js';
import type { Completion, CompletionChunk, CompletionModel, CompletionRequest } from '../../../src/use-cases/ports.js';

/** How one upstream call answers. */
export interface Script {
  /** The reply's pieces, streamed one by one; default ['Hello', ' there.']. */
  readonly deltas?: readonly string[];
  /** Sent after the last delta; default 'stop'. */
  readonly finishReason?: FinishReason;
  /** Reported with the finish; default null (the upstream said nothing: the ledger estimates). */
  readonly usage?: TokenUsage | null;
  /** The connection dies after this many deltas (0: before the first): UPSTREAM_UNAVAILABLE, no finish. */
  readonly failAfter?: number;
  /** The stream stops after this many deltas until `release()`, or until the request is aborted. */
  readonly holdAfter?: number;
}

/** How a call ended: streamed to its finish, died on purpose (failAfter), or cut by its request's signal. */
export type CallOutcome = 'finished' | 'failed' | 'aborted';

/** One scripted upstream call: what it was asked, and handles to steer and observe it. */
export class ScriptedCall {
  private request: CompletionRequest | undefined;
  private reachHold!: () => void;
  private resume!: () => void;
  private end!: (outcome: CallOutcome) => void;
  /** Resolves when the stream stopped at `holdAfter`: the deltas before it were handed over. */
  readonly held = new Promise<void>((resolve) => (this.reachHold = resolve));
  private readonly released = new Promise<void>((resolve) => (this.resume = resolve));
  readonly outcome = new Promise<CallOutcome>((resolve) => (this.end = resolve));

  constructor(readonly script: Script) {}

  /** What the core sent: model, prompt messages, config. Throws until the call was made. */
  get sent(): CompletionRequest {
    if (this.request === undefined) throw new Error('This scripted call has not been made yet');
    return this.request;
  }

  /** Lets a held stream go on. */
  release(): void {
    this.resume();
  }

  async *stream(request: CompletionRequest): AsyncGenerator<CompletionChunk> {
    this.request = request;
    const { deltas = ['Hello', ' there.'], finishReason = 'stop', usage = null, failAfter, holdAfter } = this.script;
    for (let index = 0; ; index += 1) {
      // Each piece in its own turn of the event loop, as from a network: readers see them one by one.
      await nextTurn();
      if (index === failAfter) {
        this.end('failed');
        throw new DomainError('UPSTREAM_UNAVAILABLE', 'The model provider closed the connection');
      }
      if (index === holdAfter) {
        this.reachHold();
        await Promise.race([this.released, abortOf(request.signal)]);
      }
      // As the OpenAI client does: an aborted request ends its stream.
      if (request.signal.aborted) {
        this.end('aborted');
        return;
      }
      if (index === deltas.length) break;
      yield { type: 'delta', text: deltas[index]! };
    }
    yield { type: 'finish', finishReason, usage };
    this.end('finished');
  }
}

const abortOf = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * The upstream model of the unit tests, in process: each call streams the
 * next queued script (or the default reply), and can fail mid-stream or be
 * held open. `calls` keeps every call with the request the core sent.
 */
export class ScriptedCompletionModel implements CompletionModel {
  readonly description = 'scripted model (unit tests)';
  readonly calls: ScriptedCall[] = [];
  private readonly queue: ScriptedCall[] = [];

  /** Queues how the next call answers; the returned call steers and observes it once made. */
  reply(script: Script = {}): ScriptedCall {
    const call = new ScriptedCall(script);
    this.queue.push(call);
    return call;
  }

  stream(request: CompletionRequest): AsyncIterable<CompletionChunk> {
    const call = this.queue.shift() ?? new ScriptedCall({});
    this.calls.push(call);
    return call.stream(request);
  }

  /** Whole answers (summaries): the next script's text in one piece. */
  async complete(request: CompletionRequest): Promise<Completion> {
    let text = '';
    let ending: Completion = { text, finishReason: 'stop', usage: null };
    for await (const chunk of this.stream(request)) {
      if (chunk.type === 'delta') text += chunk.text;
      else ending = { text, finishReason: chunk.finishReason, usage: chunk.usage };
    }
    return { ...ending, text };
  }
}
