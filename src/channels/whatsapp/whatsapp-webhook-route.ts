import type { FastifyInstance, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { sendError } from '../http/http-errors.js';
import { parseWebhookForm } from './webhook-form.js';
import type { WhatsAppChannel } from './whatsapp-channel.js';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/twilio/whatsapp';
/** "Received; nothing to say now": the answer follows through the REST API. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * Twilio's incoming-message webhook. Checks the signature before anything
 * else, records the MessageSid, and answers with empty TwiML at once: the
 * reply can take longer than Twilio's 15 s timeout, so it is produced in the
 * background and sent through the REST API.
 */
export function registerWhatsAppWebhookRoute(app: FastifyInstance, channel: WhatsAppChannel): void {
  app.post<{ Body: unknown }>(WHATSAPP_WEBHOOK_PATH, async (request, reply) => {
    const webhook = channel.webhook;
    if (webhook === undefined) {
      return sendError(
        reply,
        'UPSTREAM_UNAVAILABLE',
        'WhatsApp is not configured on this server: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM',
        503,
      );
    }

    const isForm = FORM_CONTENT_TYPE.test(request.headers['content-type'] ?? '');
    const fields = isForm && isRecord(request.body) ? request.body : {};
    const signature = request.headers['x-twilio-signature'];
    const url = signedUrl(request, webhook.publicBaseUrl);
    if (typeof signature !== 'string' || signature === '' || !isSignedByTwilio(webhook.authToken, signature, url, fields)) {
      request.log.warn({ url, signature: typeof signature === 'string' && signature !== '' ? 'invalid' : 'missing' }, 'Twilio webhook refused: bad signature');
      return sendError(reply, 'UNAUTHENTICATED', 'Missing or invalid X-Twilio-Signature', 403);
    }
    if (!isForm) {
      return sendError(reply, 'INVALID_INPUT', 'Send application/x-www-form-urlencoded, as Twilio does', 415);
    }

    const form = parseWebhookForm(fields);
    if (!form.ok) return sendError(reply, 'INVALID_INPUT', form.error);
    const { message } = form;

    if (await webhook.receive(message)) {
      webhook.answerLater(message);
    } else {
      request.log.info({ messageSid: message.messageSid }, 'Twilio webhook retried: already received, not answered again');
    }
    return reply.status(200).type('text/xml').send(EMPTY_TWIML);
  });
}

/**
 * The URL Twilio signed: PUBLIC_BASE_URL plus the path and query when we sit
 * behind a proxy, else the URL this request arrived at.
 */
function signedUrl(request: FastifyRequest, publicBaseUrl: string | undefined): string {
  return publicBaseUrl !== undefined ? `${publicBaseUrl}${request.url}` : `${request.protocol}://${request.host}${request.url}`;
}

function isSignedByTwilio(authToken: string, signature: string, url: string, fields: Record<string, unknown>): boolean {
  try {
    return twilio.validateRequest(authToken, signature, url, fields);
  } catch {
    // The library parses the URL; a Host header that makes no URL is no Twilio request.
    return false;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
