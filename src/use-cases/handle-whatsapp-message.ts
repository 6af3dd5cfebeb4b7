import type { ContextStrategy } from '../domain/chat-config.js';
import { isDomainError } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { Persona } from '../domain/persona.js';
import type { ChatCore } from './chat-core.js';
import { KeyedLock } from '../lib/keyed-lock.js';
import type { Clock, Logger } from './ports.js';
import type { ReplyStream } from './send-message.js';
import { usageText } from './whatsapp-usage-text.js';
import type { DeliveryStatus, WhatsAppConversations, WhatsAppSender, WhatsAppUserState } from './whatsapp-ports.js';

/** One message as Twilio delivered it, already validated by the channel. */
export interface InboundWhatsAppMessage {
  readonly messageSid: string;
  /** `whatsapp:+<number>`; also the user id. */
  readonly from: string;
  readonly body: string;
  readonly numMedia: number;
}

export interface WhatsAppMessageDeps {
  readonly core: Pick<ChatCore, 'sendMessage' | 'listPersonas' | 'findPersona' | 'findChat' | 'updateChatConfig' | 'limits'>;
  readonly conversations: WhatsAppConversations;
  readonly sender: WhatsAppSender;
  readonly clock: Clock;
  readonly logger: Logger;
}

export const WHATSAPP_TEXTS = {
  textOnly: 'Sorry, I can only read text messages. Please type your question and I will answer it.',
  attachmentIgnored: '(I can only read text, so I could not look at your attachment.)',
  busy: 'I am still answering your previous message. Please wait for that answer, then send this one again.',
  apology: 'Sorry, I could not answer that just now. Please try again in a moment.',
  cutShort: '(My answer was cut short. Send your message again for a complete one.)',
  stopped: 'Sorry, my answer was stopped before it began. Please send your message again.',
  empty: 'Sorry, I have no answer to that.',
  tooLong: 'Sorry, that message is too long for me to read in one go. Please send a shorter one.',
  newChat: 'Started a new chat; your earlier chats are kept. What would you like to talk about?',
  summaryOn: 'Summaries are on for this chat: when it grows too long for me to remember whole, I keep a summary of the earlier part instead of forgetting it.',
  summaryOff: 'Summaries are off for this chat: when it grows too long, I forget the earliest messages.',
  summaryNoChat: 'There is no chat yet. Send a message to start one, then /summary on.',
  summaryUsage: 'Send /summary on or /summary off.',
  rateLimited: 'You are sending messages faster than I can answer them. Please wait a minute, then send this one again.',
  quotaExceeded: 'You have used up your allowance for now, so I cannot answer this message. Send /usage to see what is left and when it renews.',
} as const;

const SUMMARY_SWITCH: Readonly<Record<string, ContextStrategy>> = { on: 'SUMMARIZE', off: 'TRUNCATE' };

/** `/persona` with one of these goes back to the service's default prompt. */
const DEFAULT_PERSONA_NAMES = new Set(['default', 'none', 'off']);
const COMMAND = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i;

interface Answer {
  readonly text: string;
  readonly chatId: string | null;
  readonly replyMessageId: string | null;
}

const note = (text: string, chatId: string | null = null): Answer => ({ text, chatId, replyMessageId: null });

/**
 * The WhatsApp conversation on top of the chat core. `receive` runs while
 * Twilio waits (record the MessageSid, nothing slow); `answer` runs in the
 * background: commands, or a turn through send-message, then the answer is
 * sent through the sender. Messages of one user are started one at a time, so
 * two quick messages cannot open two chats.
 */
export function createWhatsAppMessageHandler(deps: WhatsAppMessageDeps) {
  const locks = new KeyedLock();
  return {
    /** False when this MessageSid was received before: a retry, to be ignored. */
    receive: (message: InboundWhatsAppMessage): Promise<boolean> =>
      deps.conversations.recordInbound({ messageSid: message.messageSid, userId: message.from, receivedAt: deps.clock.now() }),
    /** Produces and sends the answer. Never throws: every failure is logged and, where possible, told to the user. */
    answer: (message: InboundWhatsAppMessage): Promise<void> => answerMessage(deps, locks, message),
  };
}

export type WhatsAppMessageHandler = ReturnType<typeof createWhatsAppMessageHandler>;

async function answerMessage(deps: WhatsAppMessageDeps, locks: KeyedLock, message: InboundWhatsAppMessage): Promise<void> {
  const log = { messageSid: message.messageSid };
  let answer: Answer;
  try {
    answer = await compose(deps, locks, message);
  } catch (error) {
    deps.logger.error({ ...log, err: error }, 'answering a WhatsApp message failed');
    answer = note(WHATSAPP_TEXTS.apology);
  }

  let delivery: DeliveryStatus = 'sent';
  try {
    await deps.sender.send(message.from, answer.text);
  } catch (error) {
    delivery = 'failed';
    deps.logger.error(
      { ...log, chatId: answer.chatId, messageId: answer.replyMessageId, err: error },
      'WhatsApp answer could not be delivered; the reply stays stored',
    );
  }
  try {
    await deps.conversations.recordAnswer(message.messageSid, {
      chatId: answer.chatId,
      replyMessageId: answer.replyMessageId,
      delivery,
      answeredAt: deps.clock.now(),
    });
  } catch (error) {
    deps.logger.warn({ ...log, err: error }, 'recording the WhatsApp delivery failed');
  }
}

async function compose(deps: WhatsAppMessageDeps, locks: KeyedLock, message: InboundWhatsAppMessage): Promise<Answer> {
  const text = message.body.trim();
  // No text at all: an image, voice note, sticker or location.
  if (text.length === 0) return note(WHATSAPP_TEXTS.textOnly);
  const command = COMMAND.exec(text);
  if (command) return runCommand(deps, locks, message.from, command[1]!.toLowerCase(), command[2]?.trim() ?? '');
  const answer = await converse(deps, locks, message.from, message.body);
  return message.numMedia > 0 ? { ...answer, text: `${answer.text}\n\n${WHATSAPP_TEXTS.attachmentIgnored}` } : answer;
}

async function runCommand(
  deps: WhatsAppMessageDeps,
  locks: KeyedLock,
  userId: string,
  name: string,
  argument: string,
): Promise<Answer> {
  const personas = deps.core.listPersonas();
  switch (name) {
    case 'help':
      return note(helpText(personas));
    case 'new':
      await updateUser(deps, locks, userId, (state) => ({ ...state, currentChatId: null }));
      return note(WHATSAPP_TEXTS.newChat);
    case 'persona': {
      if (argument === '') {
        const state = await deps.conversations.findUser(userId);
        return note(personaListText(personas, state?.personaId ?? null));
      }
      if (DEFAULT_PERSONA_NAMES.has(argument.toLowerCase())) {
        await updateUser(deps, locks, userId, () => ({ userId, currentChatId: null, personaId: null }));
        return note('Back to the default assistant. Your next message starts a new chat.');
      }
      const persona = findPersona(personas, argument);
      if (!persona) return note(`I do not know the persona "${argument}".\n\n${personaListText(personas, null)}`);
      await updateUser(deps, locks, userId, () => ({ userId, currentChatId: null, personaId: persona.id }));
      return note(`Switched to ${persona.name}. Your next message starts a new chat with this persona.`);
    }
    case 'summary':
      return summaryCommand(deps, userId, argument.toLowerCase());
    case 'usage':
      return note(usageText(await deps.core.limits(userId)));
    default:
      return note(`I do not know the command /${name}. Send /help to see what I understand.`);
  }
}

/** `/summary on|off` switches the current chat's context strategy; `/summary` tells which one it has. */
async function summaryCommand(deps: WhatsAppMessageDeps, userId: string, argument: string): Promise<Answer> {
  const wanted = SUMMARY_SWITCH[argument];
  if (argument !== '' && wanted === undefined) return note(WHATSAPP_TEXTS.summaryUsage);
  const chatId = (await deps.conversations.findUser(userId))?.currentChatId ?? null;
  const chat = chatId === null ? undefined : await deps.core.findChat(userId, chatId);
  if (chat === undefined || chat.status === 'ENDED') return note(WHATSAPP_TEXTS.summaryNoChat);
  const strategy = wanted ?? chat.config.contextStrategy;
  if (wanted !== undefined && wanted !== chat.config.contextStrategy) {
    await deps.core.updateChatConfig(userId, chat.id, { contextStrategy: wanted });
  }
  return note(strategy === 'SUMMARIZE' ? WHATSAPP_TEXTS.summaryOn : WHATSAPP_TEXTS.summaryOff, chat.id);
}

async function updateUser(
  deps: WhatsAppMessageDeps,
  locks: KeyedLock,
  userId: string,
  change: (state: WhatsAppUserState) => WhatsAppUserState,
): Promise<void> {
  await locks.run(userId, async () => {
    const state = (await deps.conversations.findUser(userId)) ?? { userId, currentChatId: null, personaId: null };
    await deps.conversations.saveUser(change(state), deps.clock.now());
  });
}

async function converse(deps: WhatsAppMessageDeps, locks: KeyedLock, userId: string, content: string): Promise<Answer> {
  let stream: ReplyStream;
  try {
    stream = await locks.run(userId, () => startTurn(deps, userId, content));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // Refused before anything was stored: tell the user why, in their terms.
    deps.logger.info({ code: error.code }, 'WhatsApp message refused by the chat core');
    if (error.code === 'CHAT_BUSY') return note(WHATSAPP_TEXTS.busy);
    if (error.code === 'MESSAGE_TOO_LARGE') return note(WHATSAPP_TEXTS.tooLong);
    if (error.code === 'RATE_LIMITED') return note(WHATSAPP_TEXTS.rateLimited);
    if (error.code === 'QUOTA_EXCEEDED') return note(WHATSAPP_TEXTS.quotaExceeded);
    return note(WHATSAPP_TEXTS.apology);
  }

  const chatId = stream.chat.id;
  const replyMessageId = stream.assistantMessage.id;
  for await (const event of stream) {
    if (event.type === 'completed') return { text: completedText(event.message), chatId, replyMessageId };
    if (event.type === 'failed') {
      // The core has stored the failure (FAILED, or INCOMPLETE with what arrived) and logged its cause.
      deps.logger.warn({ chatId, messageId: replyMessageId, code: event.code }, 'WhatsApp reply failed; sending an apology');
      const partial = event.message.content;
      return { text: partial.trim() === '' ? WHATSAPP_TEXTS.apology : `${partial}\n\n${WHATSAPP_TEXTS.apology}`, chatId, replyMessageId };
    }
  }
  return { text: WHATSAPP_TEXTS.apology, chatId, replyMessageId };
}

/** Continues the user's current chat, or starts one (with their persona) when there is none any more. */
async function startTurn(deps: WhatsAppMessageDeps, userId: string, content: string): Promise<ReplyStream> {
  const state = await deps.conversations.findUser(userId);
  let stream: ReplyStream | undefined;
  if (state?.currentChatId) {
    try {
      stream = await deps.core.sendMessage({ userId, chatId: state.currentChatId, content, channel: 'whatsapp' });
    } catch (error) {
      // Ended or deleted from another channel: the conversation goes on in a new chat.
      if (!isDomainError(error) || (error.code !== 'NOT_FOUND' && error.code !== 'CHAT_ENDED')) throw error;
    }
  }
  if (stream === undefined) {
    const personaId = state?.personaId ?? undefined;
    // A persona removed from PERSONAS_FILE since it was chosen falls back to the default.
    const known = personaId !== undefined && deps.core.findPersona(personaId) !== undefined;
    stream = await deps.core.sendMessage({ userId, content, personaId: known ? personaId : undefined, channel: 'whatsapp' });
    await deps.conversations.saveUser(
      { userId, currentChatId: stream.chat.id, personaId: state?.personaId ?? null },
      deps.clock.now(),
    );
  }
  return stream;
}

function completedText(message: Message): string {
  const text = message.content;
  if (message.finishReason !== 'stopped') return text.trim() === '' ? WHATSAPP_TEXTS.empty : text;
  // Stopped from another channel, or by a shutdown: say so rather than end mid-sentence.
  return text.trim() === '' ? WHATSAPP_TEXTS.stopped : `${text}\n\n${WHATSAPP_TEXTS.cutShort}`;
}

const normalizePersonaName = (name: string): string => name.trim().toLowerCase().replace(/[\s_]+/g, '-');

function findPersona(personas: readonly Persona[], name: string): Persona | undefined {
  const wanted = normalizePersonaName(name);
  return personas.find((p) => p.id === wanted || normalizePersonaName(p.name) === wanted);
}

function personaListText(personas: readonly Persona[], currentId: string | null): string {
  const lines = personas.map((p) => `• ${p.id}${p.id === currentId ? ' (current)' : ''}: ${p.description}`);
  return `Personas:\n${lines.join('\n')}\n\nSend /persona <name> to switch, /persona default to go back.`;
}

function helpText(personas: readonly Persona[]): string {
  return [
    'Send any message and I will answer it; your chat continues until you start a new one.',
    '',
    'Commands:',
    '/new: start a new chat (earlier chats are kept)',
    '/persona <name>: switch persona and start a new chat with it',
    '/persona: list the personas',
    '/summary on|off: keep a summary of what no longer fits my memory in this chat, or forget it',
    '/usage: what you have used today and this month, and what is left',
    '/help: this list',
    '',
    `Personas: ${personas.map((p) => p.id).join(', ')}`,
  ].join('\n');
}
