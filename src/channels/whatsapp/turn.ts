import { isDomainError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { KeyedLock } from '../../lib/keyed-lock.js';
import type { ReplyStream } from '../../use-cases/send-message.js';
import { waitForEnding } from '../replies/reply-ending.js';
import { note, type Answer } from './answer.js';
import type { ConversationDeps } from './conversation-ports.js';
import { WHATSAPP_TEXTS } from './texts/whatsapp-texts.js';

/**
 * A message for the model: a turn in the user's current chat (or a new one),
 * answered with the whole reply once it ended. Refusals and failures are
 * answered in the user's terms.
 */
export async function converse(deps: ConversationDeps, locks: KeyedLock, userId: string, content: string): Promise<Answer> {
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
  const ending = await waitForEnding(stream);
  // No ending (shutting down, or the chat was deleted meanwhile): the user still hears from us.
  if (ending === undefined) return { text: WHATSAPP_TEXTS.apology, chatId, replyMessageId };
  if (ending.type === 'completed') return { text: completedText(ending.message), chatId, replyMessageId };
  // The core has stored the failure (FAILED, or INCOMPLETE with what arrived) and logged its cause.
  deps.logger.warn({ chatId, messageId: replyMessageId, code: ending.code }, 'WhatsApp reply failed; sending an apology');
  const partial = ending.message.content;
  return { text: partial.trim() === '' ? WHATSAPP_TEXTS.apology : `${partial}\n\n${WHATSAPP_TEXTS.apology}`, chatId, replyMessageId };
}

/** Continues the user's current chat, or starts one (with their persona) when there is none any more. */
async function startTurn(deps: ConversationDeps, userId: string, content: string): Promise<ReplyStream> {
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
