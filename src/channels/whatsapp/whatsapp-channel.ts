import { createConversation } from './conversation.js';
import type { ConversationDeps } from './conversation-ports.js';
import type { InboundWhatsAppMessage } from './inbound-message.js';
import type { Logger } from '../../use-cases/ports.js';
import { BackgroundJobs } from './background-jobs.js';
import { WhatsAppReplySender, type MessageApi } from './whatsapp-reply-sender.js';

/** Knobs for tests and operators; the defaults suit production. */
export interface WhatsAppTuning {
  /** How long shutdown waits, once every reply has ended, for the answers still being sent. Default 5 s. */
  readonly shutdownFlushMs?: number;
  /** Backoff for Twilio REST failures; default 4 attempts from 500 ms, capped at 4 s. */
  readonly sendRetry?: {
    readonly attempts?: number;
    readonly initialDelayMs?: number;
    readonly maxDelayMs?: number;
  };
}

export interface WhatsAppChannelOptions {
  /** Absent when Twilio is not configured: the webhook then answers 503 and nothing else changes. */
  readonly twilio?: {
    readonly authToken: string;
    /** TWILIO_WHATSAPP_FROM: the sender of every answer. */
    readonly whatsappFrom: string;
    readonly messages: MessageApi;
  } | undefined;
  /** PUBLIC_BASE_URL: the URL Twilio calls, when a proxy stands in front of us. */
  readonly publicBaseUrl?: string | undefined;
  readonly core: ConversationDeps['core'];
  readonly conversations: ConversationDeps['conversations'];
  readonly clock: ConversationDeps['clock'];
  readonly logger: Logger;
  readonly shutdownFlushMs?: number | undefined;
}

export interface WhatsAppChannel {
  /** What the webhook needs when Twilio is configured. */
  readonly webhook?: {
    readonly authToken: string;
    readonly publicBaseUrl?: string | undefined;
    /** Records the message; false for a MessageSid seen before. */
    receive(message: InboundWhatsAppMessage): Promise<boolean>;
    /** Starts the answer in the background and returns at once. */
    answerLater(message: InboundWhatsAppMessage): void;
  } | undefined;
  /**
   * For shutdown, once every reply has ended (finished, or stopped and stored
   * INCOMPLETE): waits, bounded, until the answers still in flight are sent.
   */
  flush(): Promise<void>;
}

export function createWhatsAppChannel(options: WhatsAppChannelOptions): WhatsAppChannel {
  const { logger } = options;
  const jobs = new BackgroundJobs(logger);
  return {
    webhook: webhookOf(options, jobs),
    async flush() {
      if (jobs.size === 0) return;
      const ms = options.shutdownFlushMs ?? 5_000;
      logger.info({ answers: jobs.size, ms }, 'waiting for WhatsApp answers to be sent');
      if (!(await jobs.drain(ms))) logger.warn({ answers: jobs.size }, 'WhatsApp answers still unsent at shutdown');
    },
  };
}

function webhookOf(options: WhatsAppChannelOptions, jobs: BackgroundJobs): WhatsAppChannel['webhook'] {
  const { twilio } = options;
  if (twilio === undefined) return undefined;
  const conversation = createConversation({
    core: options.core,
    conversations: options.conversations,
    sender: new WhatsAppReplySender(twilio.messages, twilio.whatsappFrom),
    clock: options.clock,
    logger: options.logger,
  });
  return {
    authToken: twilio.authToken,
    publicBaseUrl: options.publicBaseUrl,
    receive: conversation.receive,
    answerLater: (message) => jobs.run('whatsapp-answer', () => conversation.answer(message)),
  };
}
