import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import { DomainError, toPublicError } from '../domain/errors.js';
import { finalStatusOf, type FinishReason, type Message, type MessageRole, type TokenUsage } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import { messageTokens } from '../domain/token-rules.js';
import type { CoreDeps } from './core-deps.js';
import type { ReplyOutcome } from './ports.js';
import { ReplyCheckpoints, type ReplyCheckpointsDeps } from './reply-checkpoints.js';
import type { ReplySlot, StopReason } from './reply-registry.js';
import { storeReplyEnding, type StoreReplyEndingDeps } from './store-reply-ending.js';
import type { TurnClaim } from '../domain/usage-claim.js';
import { replySettlement, type SettleUsageDeps } from './settle-usage.js';
import { wireMessages } from './wire-messages.js';

/** The ports this step needs: its own, and those of the steps it runs. */
export type ProduceReplyDeps = Pick<CoreDeps, 'completions' | 'contexts' | 'events' | 'live' | 'logger' | 'metrics' | 'tokens'> &
  ReplyCheckpointsDeps &
  SettleUsageDeps &
  StoreReplyEndingDeps;

export interface ReplyJob {
  readonly chat: Chat;
  readonly model: ModelSpec;
  readonly config: ChatConfig;
  /** Stored messages, and the summary note when the chat summarises. */
  readonly prompt: readonly { readonly role: MessageRole; readonly content: string }[];
  readonly promptTokens: number;
  /** Stored as STREAMING before this runs, and begun in deps.live. */
  readonly assistantMessage: Message;
  readonly slot: ReplySlot;
  /** The turn's claim on its user's budgets, stored with it: settled, with the reply's ledger row, when the reply ends. */
  readonly claim?: TurnClaim | undefined;
}

/**
 * Streams the reply from the upstream, publishing each delta with its
 * position, checkpointing the text and renewing the lease as it goes, and
 * stores how it ended. Runs to the end whoever listens: only the slot's
 * signal (stopReply, shutdown, a lost lease) cuts it short, and then exactly
 * the text delivered so far is stored. Watchers are told the ending only
 * once the store holds it. Never throws.
 */
export async function produceReply(deps: ProduceReplyDeps, job: ReplyJob): Promise<void> {
  const { chat, assistantMessage: reply, slot } = job;
  const log = { chatId: chat.id, messageId: reply.id, model: job.model.name };
  let text = '';
  let finishReason: FinishReason | undefined;
  let usage: TokenUsage | null = null;
  let failure: DomainError | undefined;
  const checkpoints = new ReplyCheckpoints(deps, reply.id, () => text, () => slot.stop('lost'));
  const meter = deps.metrics.replyStarted(job.claim?.channel ?? 'other', job.model.name);

  try {
    const chunks = deps.completions.stream({
      model: job.model,
      messages: wireMessages(job.prompt),
      config: job.config,
      signal: slot.signal,
    });
    for await (const chunk of chunks) {
      if (slot.signal.aborted) break;
      if (chunk.type === 'delta') {
        if (chunk.text.length === 0) continue;
        if (text.length === 0) meter.firstToken();
        text += chunk.text;
        const offset = deps.live.append(reply.id, chunk.text);
        deps.events.publish({ type: 'delta', chatId: chat.id, messageId: reply.id, text: chunk.text, offset });
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
  await checkpoints.stop();

  if (slot.signal.aborted) {
    finishReason = 'stopped';
    if ((slot.signal.reason as StopReason) === 'lost') deps.logger.warn(log, 'reply recovered elsewhere after its lease expired; stopped');
  } else if (failure || finishReason === undefined) {
    failure ??= new DomainError('UPSTREAM_UNAVAILABLE', 'The model ended the reply without finishing it');
    finishReason = 'error';
  }
  if (usage && usage.promptTokens !== job.promptTokens) {
    deps.logger.warn({ ...log, counted: job.promptTokens, reported: usage.promptTokens }, 'prompt token count differs from upstream usage');
  }

  const status = finalStatusOf({ finishReason, deliveredText: text });
  const outcome: ReplyOutcome = {
    content: text,
    status,
    finishReason,
    usage,
    errorCode: failure ? toPublicError(failure).code : null,
    tokenCount: text.length === 0 ? 0 : messageTokens({ role: 'ASSISTANT', content: text }, (t) => deps.tokens.count(t, job.model.encoding)),
    settlement: job.claim && replySettlement(deps, job.claim, { usage, text, status, encoding: job.model.encoding }),
  };
  const stored = await storeReplyEnding(deps, reply, outcome, slot.abandoned);
  if (stored !== undefined) deps.contexts.replyStored(stored);

  if (stored === undefined) {
    // Not stored: say so rather than pretend; the lease expires and recovery ends the row.
    const unstored: Message = { ...reply, ...outcome, status: 'STREAMING' };
    deps.events.publish({ type: 'failed', chatId: chat.id, code: 'UNAVAILABLE', reason: 'The reply could not be stored', message: unstored });
  } else if (stored.errorCode !== null) {
    const { code, message } = toPublicError(failure ?? new DomainError(stored.errorCode, 'The reply failed'));
    deps.events.publish({ type: 'failed', chatId: chat.id, code, reason: message, message: stored });
  } else {
    deps.events.publish({ type: 'completed', chatId: chat.id, message: stored });
  }
  deps.live.end(reply.id);
  meter.ended(stored?.status ?? 'UNSTORED');
  // A reply whose lease was lost was settled, and counted, by the process that recovered it.
  if (stored !== undefined && outcome.settlement !== undefined && slot.signal.reason !== 'lost') deps.metrics.usageRecorded(outcome.settlement.record);
  deps.logger.info({ ...log, status: stored?.status ?? 'UNSTORED', finishReason, usage }, 'reply finished');
  slot.release();
}
