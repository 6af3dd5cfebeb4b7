import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import { DomainError, toPublicError } from '../domain/errors.js';
import { finalStatusOf, type FinishReason, type Message, type TokenUsage } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import { messageTokens, wireRole } from '../domain/token-rules.js';
import type { ReplyEvent } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import type { ReplySlot } from './reply-registry.js';

export interface ReplyJob {
  readonly chat: Chat;
  readonly model: ModelSpec;
  readonly config: ChatConfig;
  readonly prompt: readonly Message[];
  readonly promptTokens: number;
  /** Stored as STREAMING before this runs. */
  readonly assistantMessage: Message;
  readonly slot: ReplySlot;
  readonly emit: (event: ReplyEvent) => void;
  readonly end: () => void;
}

/**
 * Streams the reply from the upstream and stores how it ended. Runs to the
 * end whoever listens: only the slot's signal (stopReply, shutdown) cuts it
 * short, and then exactly the text delivered so far is stored. Never throws.
 */
export async function produceReply(deps: CoreDeps, job: ReplyJob): Promise<void> {
  const { chat, assistantMessage, slot } = job;
  const log = { chatId: chat.id, messageId: assistantMessage.id, model: job.model.name };
  let text = '';
  let finishReason: FinishReason | undefined;
  let usage: TokenUsage | null = null;
  let failure: DomainError | undefined;

  try {
    const chunks = deps.completions.stream({
      model: job.model,
      messages: job.prompt.map((m) => ({ role: wireRole(m.role), content: m.content })),
      config: job.config,
      signal: slot.signal,
    });
    for await (const chunk of chunks) {
      if (slot.signal.aborted) break;
      if (chunk.type === 'delta') {
        text += chunk.text;
        job.emit({ type: 'delta', chatId: chat.id, messageId: assistantMessage.id, text: chunk.text });
      } else {
        finishReason = chunk.finishReason;
        usage = chunk.usage;
      }
    }
  } catch (error) {
    if (!slot.signal.aborted) {
      failure = error instanceof DomainError ? error : new DomainError('INTERNAL', 'Internal error', { cause: error });
      deps.logger.warn({ ...log, err: error, code: failure.code }, 'upstream reply failed');
    }
  }

  if (slot.signal.aborted) finishReason = 'stopped';
  else if (failure || finishReason === undefined) {
    failure ??= new DomainError('UPSTREAM_UNAVAILABLE', 'The model ended the reply without finishing it');
    finishReason = 'error';
  }
  if (usage && usage.promptTokens !== job.promptTokens) {
    deps.logger.warn({ ...log, counted: job.promptTokens, reported: usage.promptTokens }, 'prompt token count differs from upstream usage');
  }

  const status = finalStatusOf({ finishReason, deliveredText: text });
  const outcome = {
    content: text,
    status,
    finishReason,
    usage,
    tokenCount: text.length === 0 ? 0 : messageTokens({ role: 'ASSISTANT', content: text }, (t) => deps.tokens.count(t, job.model.encoding)),
  };

  let stored: Message;
  try {
    stored = await deps.chats.finishReply(assistantMessage, outcome);
  } catch (error) {
    // The reply was delivered but could not be stored; say so rather than pretend.
    deps.logger.error({ ...log, err: error }, 'storing the reply failed');
    stored = { ...assistantMessage, ...outcome, status: 'FAILED' };
    failure ??= new DomainError('INTERNAL', 'The reply could not be stored');
  }

  if (failure) {
    const { code, message } = toPublicError(failure);
    job.emit({ type: 'failed', chatId: chat.id, code, error: message, message: stored });
  } else {
    job.emit({ type: 'completed', chatId: chat.id, message: stored });
  }
  deps.logger.info({ ...log, status: stored.status, finishReason, usage }, 'reply finished');
  job.end();
  slot.release();
}
