import { KeyedLock } from '../../lib/keyed-lock.js';
import { note, type Answer } from './answer.js';
import { parseCommand, runCommand } from './commands.js';
import type { ConversationDeps, DeliveryStatus } from './conversation-ports.js';
import type { InboundWhatsAppMessage } from './inbound-message.js';
import { WHATSAPP_TEXTS } from './texts/whatsapp-texts.js';
import { converse } from './turn.js';

/**
 * The WhatsApp conversation on top of the chat core. `receive` runs while
 * Twilio waits (record the MessageSid, nothing slow); `answer` runs in the
 * background: a command, or a turn through send-message, then the answer is
 * sent through the sender. Messages of one user are started one at a time, so
 * two quick messages cannot open two chats.
 */
export function createConversation(deps: ConversationDeps) {
  const locks = new KeyedLock();
  return {
    /** False when this MessageSid was received before: a retry, to be ignored. */
    receive: (message: InboundWhatsAppMessage): Promise<boolean> =>
      deps.conversations.recordInbound({ messageSid: message.messageSid, userId: message.from, receivedAt: deps.clock.now() }),
    /** Produces and sends the answer. Never throws: every failure is logged and, where possible, told to the user. */
    answer: (message: InboundWhatsAppMessage): Promise<void> => answerMessage(deps, locks, message),
  };
}

export type Conversation = ReturnType<typeof createConversation>;

async function answerMessage(deps: ConversationDeps, locks: KeyedLock, message: InboundWhatsAppMessage): Promise<void> {
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

async function compose(deps: ConversationDeps, locks: KeyedLock, message: InboundWhatsAppMessage): Promise<Answer> {
  const text = message.body.trim();
  // No text at all: an image, voice note, sticker or location.
  if (text.length === 0) return note(WHATSAPP_TEXTS.textOnly);
  const command = parseCommand(text);
  if (command) return runCommand(deps, locks, message.from, command);
  const answer = await converse(deps, locks, message.from, message.body);
  return message.numMedia > 0 ? { ...answer, text: `${answer.text}\n\n${WHATSAPP_TEXTS.attachmentIgnored}` } : answer;
}
