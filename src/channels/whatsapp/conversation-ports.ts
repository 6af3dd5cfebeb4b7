import type { ChatCore } from '../../use-cases/chat-core.js';
import type { Clock, Logger } from '../../use-cases/ports.js';

/** What the WhatsApp conversation remembers about one user between messages. */
export interface WhatsAppUserState {
  /** `whatsapp:+<number>`, Twilio's `From`. */
  readonly userId: string;
  /** The chat the next message continues; null starts a new chat. */
  readonly currentChatId: string | null;
  /** The persona new chats start with; null is the service default. */
  readonly personaId: string | null;
}

export interface InboundRecord {
  readonly messageSid: string;
  readonly userId: string;
  readonly receivedAt: Date;
}

export type DeliveryStatus = 'sent' | 'failed';

export interface AnswerRecord {
  readonly chatId: string | null;
  /** The stored assistant message, when the answer came from the model. */
  readonly replyMessageId: string | null;
  readonly delivery: DeliveryStatus;
  readonly answeredAt: Date;
}

/**
 * WhatsApp state, next to (not inside) the chat store: which Twilio messages
 * were already received, and each user's current chat and persona.
 * The store adapter implements it (KnexWhatsAppConversations).
 */
export interface WhatsAppConversations {
  /**
   * Records a message by its MessageSid under a unique key. False when that
   * MessageSid was recorded before: a retried webhook, to be ignored.
   */
  recordInbound(record: InboundRecord): Promise<boolean>;
  /** Notes how the answer to a recorded message went. */
  recordAnswer(messageSid: string, answer: AnswerRecord): Promise<void>;
  findUser(userId: string): Promise<WhatsAppUserState | undefined>;
  saveUser(state: WhatsAppUserState, at: Date): Promise<void>;
}

/**
 * Sends text to a WhatsApp user. Long texts arrive as several messages, in
 * order. Rejects when the text could not be delivered, after retrying.
 */
export interface WhatsAppSender {
  send(to: string, text: string): Promise<void>;
}

/** What the conversation needs: the use cases it calls, its own store, and how to answer. */
export interface ConversationDeps {
  readonly core: Pick<ChatCore, 'sendMessage' | 'listPersonas' | 'findPersona' | 'findChat' | 'updateChatConfig' | 'limits'>;
  readonly conversations: WhatsAppConversations;
  readonly sender: WhatsAppSender;
  readonly clock: Clock;
  readonly logger: Logger;
}
