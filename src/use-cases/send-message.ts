import type { Chat } from '../domain/chat.js';
import type { ChatConfig } from '../domain/chat-config.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import { patchedConfig } from '../domain/reply-budget.js';
import { isLeaseLive, leaseUntil } from '../domain/reply-lease.js';
import { startChat, type NewChat, type NewChatRequest } from '../domain/start-chat.js';
import { assertFollowUpAllowed, openTurn, validateMessageContent } from '../domain/turn.js';
import type { Channel } from '../domain/usage.js';
import { admitTurn, type AdmitTurnDeps } from './admit-turn.js';
import type { ReplyEvent, ReplyStarted } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import { followReply, type FollowReplyDeps } from './follow-reply.js';
import { produceReply, type ProduceReplyDeps } from './produce-reply.js';
import { recoverAbandonedReply, type RecoverRepliesDeps } from './recover-replies.js';
import type { ReplySlot } from './reply-registry.js';
import { buildTurnPrompt, type TurnPromptDeps } from './turn-prompt.js';

/** The ports this use case needs: its own, and those of the steps it runs. */
export type SendMessageDeps = Pick<
  CoreDeps,
  'chats' | 'clock' | 'contexts' | 'defaults' | 'events' | 'ids' | 'live' | 'models' | 'personas' | 'replies' | 'replyTiming' | 'tokens'
> &
  AdmitTurnDeps &
  TurnPromptDeps &
  FollowReplyDeps &
  ProduceReplyDeps &
  RecoverRepliesDeps;

export interface SendMessageInput extends Omit<NewChatRequest, 'title'> {
  /** Absent: a new chat is created with the other fields. */
  readonly chatId?: string | undefined;
  readonly content: string;
  /** A retry with the same key and content gets the first send's turn instead of a second one (see RecentSends). */
  readonly idempotencyKey?: string | undefined;
  /** The channel the message came in on, for the usage ledger and metrics; default 'other'. */
  readonly channel?: Channel | undefined;
}

/** The reply to one message. Iterating is optional: the reply runs either way. */
export interface ReplyStream extends AsyncIterable<ReplyEvent> {
  readonly chat: Chat;
  readonly userMessage: Message;
  readonly assistantMessage: Message;
}

/**
 * Stores the user message, then starts the reply in the background and
 * returns its event stream. Everything that can be refused (bad input, no
 * such chat, ended, busy, too large) is refused here, before anything is
 * stored and before the first event.
 */
export async function sendMessage(deps: SendMessageDeps, input: SendMessageInput): Promise<ReplyStream> {
  const content = validateMessageContent(input.content);
  const target = input.chatId === undefined ? newChatTarget(deps, input, content) : await existingChatTarget(deps, input);
  const slot = deps.replies.reserve(target.chat.id, target.chat.userId);
  try {
    return await startTurn(deps, target, content, slot, input.channel);
  } catch (error) {
    slot.release();
    throw error;
  }
}

interface TurnTarget {
  readonly chat: Chat;
  readonly model: ModelSpec;
  readonly config: ChatConfig;
  /** The seq of the chat's newest message, as the store had it (existing chats). */
  readonly lastSeq?: number;
  readonly newChat?: NewChat;
}

function newChatTarget(deps: SendMessageDeps, input: SendMessageInput, content: string): TurnTarget {
  const stamp = { chatId: deps.ids.newId(), systemMessageId: deps.ids.newId(), at: deps.clock.now(), firstMessage: content };
  const started = startChat(input, deps, stamp, (text, encoding) => deps.tokens.count(text, encoding));
  return { chat: started.chat, model: started.model, config: started.chat.config, newChat: started };
}

async function existingChatTarget(deps: SendMessageDeps, input: SendMessageInput): Promise<TurnTarget> {
  const head = await deps.chats.findChatHead(input.userId, input.chatId!);
  if (!head) throw notFound('Chat');
  const { chat, lastSeq } = head;
  assertFollowUpAllowed(chat, input);
  const model = deps.models.resolve(chat.model).spec;
  return { chat, model, config: patchedConfig(chat.config, input.config, model), lastSeq };
}

const chatBusy = () => new DomainError('CHAT_BUSY', 'A reply is still being produced in this chat; wait for it or stop it');

/**
 * The chat's context, once no reply is running in it. A reply left
 * STREAMING is busy while its producer (any process) holds the lease; one
 * whose lease expired is recovered first, so its chat is usable again.
 * The cached copy serves when the chat has not moved since and its last
 * reply has ended (only the store knows how a running one ends).
 */
async function contextOf(deps: SendMessageDeps, chatId: string, lastSeq: number): Promise<readonly Message[]> {
  const cached = deps.contexts.get(chatId, lastSeq);
  if (cached !== undefined && cached.at(-1)?.status !== 'STREAMING') return cached;
  const context = await deps.chats.loadContext(chatId);
  if (!context.some((m) => m.status === 'STREAMING')) return context;
  const pending = await deps.chats.findStreamingReply(chatId);
  if (pending !== undefined) {
    if (isLeaseLive(pending.lease, deps.clock.now()) || deps.replies.isRunning(pending.message.id)) throw chatBusy();
    if ((await recoverAbandonedReply(deps, pending.message)) === undefined) throw chatBusy();
  }
  return deps.chats.loadContext(chatId);
}

async function startTurn(
  deps: SendMessageDeps,
  target: TurnTarget,
  content: string,
  slot: ReplySlot,
  channel: Channel | undefined,
): Promise<ReplyStream> {
  const { chat, model, config } = target;
  const context = target.newChat ? [target.newChat.systemMessage] : await contextOf(deps, chat.id, target.lastSeq!);
  const now = deps.clock.now();
  const turn = openTurn(
    { chat, model, context, content, userMessageId: deps.ids.newId(), assistantMessageId: deps.ids.newId(), at: now },
    (text) => deps.tokens.count(text, model.encoding),
  );
  const { userMessage, assistantMessage } = turn;
  // The user's limits, before anything is stored or sent upstream (a summary call included).
  const admission = await admitTurn(deps, { chat, model, config, channel, system: turn.system, history: turn.history });
  const turnPrompt = await buildTurnPrompt(deps, { turn, model, config });
  const claim = admission.claimFor(assistantMessage.id, { promptTokens: turnPrompt.plan.promptTokens, summary: turnPrompt.summary });
  // The caller's stream listens before anything is stored or published, so it misses nothing;
  // a bus that cannot be reached refuses the turn before it is stored.
  const subscription = await deps.events.subscribe(chat.id);
  try {
    await deps.chats.recordTurn({
      newChat: target.newChat,
      chatId: chat.id,
      expectedLastSeq: target.newChat ? undefined : context.at(-1)!.seq,
      userMessage,
      assistantMessage,
      // From the clock, not `now`: a summary fold may have taken a while.
      lease: leaseUntil(deps.replyTiming.owner, deps.clock.now(), deps.replyTiming.leaseMs),
      erasedMessageIds: turnPrompt.plan.erased.map((m) => m.id),
      summary: turnPrompt.summary,
      claim,
      at: now,
    });
  } catch (error) {
    await subscription[Symbol.asyncIterator]().return?.();
    throw error;
  }
  deps.contexts.set(chat.id, assistantMessage.seq, turnPrompt.plan.contextAfter);
  slot.attach(assistantMessage.id);
  deps.live.begin(assistantMessage.id);

  const storedChat: Chat = { ...chat, updatedAt: now };
  const started: ReplyStarted = { type: 'started', chat: storedChat, userMessage, assistantMessage };
  const events = followReply(deps, started, 0, subscription);
  deps.events.publish(started);
  void produceReply(deps, {
    chat: storedChat,
    model,
    config,
    prompt: turnPrompt.plan.prompt,
    promptTokens: turnPrompt.plan.promptTokens,
    assistantMessage,
    slot,
    claim,
  });

  return Object.assign(events, { chat: storedChat, userMessage, assistantMessage });
}
