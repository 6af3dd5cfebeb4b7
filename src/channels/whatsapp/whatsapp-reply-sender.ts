import type { WhatsAppSender } from './conversation-ports.js';
import { splitMessage, TWILIO_MAX_BODY_LENGTH } from './split-message.js';

/** One outbound message through Twilio's Messages API (TwilioMessageClient). */
export interface MessageApi {
  send(message: { from: string; to: string; body: string }): Promise<unknown>;
}

/**
 * Sends answers from our WhatsApp sender (TWILIO_WHATSAPP_FROM), split into
 * parts Twilio accepts. Parts go one after another, each once the previous
 * one was accepted, so they are created in order; if one cannot be sent the
 * rest are held back rather than delivered with a gap.
 */
export class WhatsAppReplySender implements WhatsAppSender {
  constructor(
    private readonly messages: MessageApi,
    private readonly from: string,
    private readonly maxPartLength = TWILIO_MAX_BODY_LENGTH,
  ) {}

  async send(to: string, text: string): Promise<void> {
    for (const body of splitMessage(text, this.maxPartLength)) {
      await this.messages.send({ from: this.from, to, body });
    }
  }
}
