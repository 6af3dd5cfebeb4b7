import { assertAcceptsMessages, type Chat } from '../domain/chat.js';
import { mergeChatConfig, type ChatConfig, type ChatConfigPatch } from '../domain/chat-config.js';
import { DomainError, invalidInput, notFound } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import { isLeaseLive, leaseUntil } from '../domain/reply-lease.js';
import type { Channel } from '../domain/usage.js';
import { admitTurn } from './admit-turn.js';
import type { ReplyEvent, ReplyStarted } from './chat-events.js';
import type { CoreDeps } from './core-deps.js';
import { followReply } from './follow-reply.js';
import { assertReplyBudgetFits, prepareNewChat, type NewChatInput } from './new-chat.js';
import { produceReply } from './produce-reply.js';
import { recoverAbandonedReply } from './recover-replies.js';
import type { ReplySlot } from './reply-registry.js';
import { buildTurnPrompt } from './turn-prompt.js';
import { writtenMessage } from './written-message.js';

/** Larger messages are refused before tokenizing: no model window admits them. */
export const MAX_MESSAGE_CHARS = 200_000;

export interface SendMessageInput extends Omit<NewChatInput, 'title'> {
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
export async function sendMessage(deps: CoreDeps, input: SendMessageInput): Promise<ReplyStream> {
  const content = validateContent(input.content);
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
  readonly newChat?: { chat: Chat; systemMessage: Message };
}

function validateContent(content: string): string {
  if (content.trim().length === 0) throw invalidInput('The message must not be empty');
  if (content.length > MAX_MESSAGE_CHARS) {
    throw new DomainError('MESSAGE_TOO_LARGE', `The message must be at most ${MAX_MESSAGE_CHARS} characters`);
  }
  return content;
}

function newChatTarget(deps: CoreDeps, input: SendMessageInput, content: string): TurnTarget {
  const prepared = prepareNewChat(deps, input, content);
  return { chat: prepared.chat, model: prepared.model, config: prepared.chat.config, newChat: prepared };
}

async function existingChatTarget(deps: CoreDeps, input: SendMessageInput): Promise<TurnTarget> {
  const head = await deps.chats.findChatHead(input.userId, input.chatId!);
  if (!head) throw notFound('Chat');
  const { chat, lastSeq } = head;
  assertAcceptsMessages(chat);
  // Model and prompt are fixed at creation: stored token counts depend on them.
  if (input.model !== undefined && input.model !== chat.model) {
    throw invalidInput('model can only be chosen when a chat starts');
  }
  if (input.personaId !== undefined || input.systemPrompt !== undefined) {
    throw invalidInput('persona and system prompt can only be chosen when a chat starts');
  }
  const model = deps.models.resolve(chat.model).spec;
  const config = applyTurnConfig(chat.config, input.config, model);
  return { chat, model, config, lastSeq };
}

function applyTurnConfig(base: ChatConfig, patch: ChatConfigPatch | undefined, model: ModelSpec): ChatConfig {
  if (patch === undefined) return base;
  const config = mergeChatConfig(base, patch);
  assertReplyBudgetFits(config, model);
  return config;
}

const chatBusy = () => new DomainError('CHAT_BUSY', 'A reply is still being produced in this chat; wait for it or stop it');

/**
 * The chat's context, once no reply is running in it. A reply left
 * STREAMING is busy while its producer (any process) holds the lease; one
 * whose lease expired is recovered first, so its chat is usable again.
 * The cached copy serves when the chat has not moved since and its last
 * reply has ended (only the store knows how a running one ends).
 */
async function contextOf(deps: CoreDeps, chatId: string, lastSeq: number): Promise<readonly Message[]> {
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

async function startTurn(deps: CoreDeps, target: TurnTarget, content: string, slot: ReplySlot, channel: Channel | undefined): Promise<ReplyStream> {
  const { chat, model, config } = target;
  const context = target.newChat ? [target.newChat.systemMessage] : await contextOf(deps, chat.id, target.lastSeq!);
  const [system, ...rest] = context;
  if (!system || system.role !== 'SYSTEM') throw new Error(`Chat ${chat.id} has no system message`);

  const now = deps.clock.now();
  const lastSeq = context.at(-1)!.seq;
  const userMessage = writtenMessage(deps, { chatId: chat.id, seq: lastSeq + 1, role: 'USER', content, model, at: now });

  // Failed replies carry no text the model should see; the rest is history.
  const sendable = rest.filter((m) => m.status !== 'FAILED');
  // The user's limits, before anything is stored or sent upstream (a summary call included).
  const admission = await admitTurn(deps, { chat, model, config, channel, system, history: [...sendable, userMessage] });
  const turnPrompt = await buildTurnPrompt(deps, { chat, model, config, system, history: [...sendable, userMessage] });
  const erased = rest.filter((m) => m.seq < turnPrompt.firstKeptSeq);

  const assistantMessage: Message = {
    ...userMessage,
    id: deps.ids.newId(),
    seq: userMessage.seq + 1,
    role: 'ASSISTANT',
    content: '',
    tokenCount: 0,
    status: 'STREAMING',
  };
  const claim = admission.claimFor(assistantMessage.id, turnPrompt);
  // The caller's stream listens before anything is stored or published, so it misses nothing;
  // a bus that cannot be reached refuses the turn before it is stored.
  const subscription = await deps.events.subscribe(chat.id);
  try {
    await deps.chats.recordTurn({
      newChat: target.newChat,
      chatId: chat.id,
      expectedLastSeq: target.newChat ? undefined : lastSeq,
      userMessage,
      assistantMessage,
      // From the clock, not `now`: a summary fold may have taken a while.
      lease: leaseUntil(deps.replyTiming.owner, deps.clock.now(), deps.replyTiming.leaseMs),
      erasedMessageIds: erased.map((m) => m.id),
      summary: turnPrompt.summary,
      claim,
      at: now,
    });
  } catch (error) {
    await subscription[Symbol.asyncIterator]().return?.();
    throw error;
  }
  const kept = rest.filter((m) => m.seq >= turnPrompt.firstKeptSeq);
  deps.contexts.set(chat.id, assistantMessage.seq, [system, ...kept, userMessage, assistantMessage]);
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
    prompt: turnPrompt.prompt,
    promptTokens: turnPrompt.promptTokens,
    assistantMessage,
    slot,
    claim,
  });

  return Object.assign(events, { chat: storedChat, userMessage, assistantMessage });
}
