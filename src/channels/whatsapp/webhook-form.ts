import { z } from 'zod';
import type { InboundWhatsAppMessage } from './inbound-message.js';

/** Twilio truncates longer incoming bodies to 1,600 characters; by any count that is at most 1,600 code points. */
export const MAX_INBOUND_BODY_CODE_POINTS = 1_600;

const codePoints = (text: string): number => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

/**
 * The fields of Twilio's incoming-message webhook that we use; Twilio sends
 * many more (ProfileName, WaId, SmsStatus ...), which pass untouched.
 */
const webhookForm = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio message SID (SM or MM + 32 hex digits)'),
  From: z.string().regex(/^whatsapp:\+[1-9]\d{6,14}$/, 'must be a WhatsApp address, whatsapp:+<E.164 number>'),
  Body: z
    .string()
    .refine((body) => codePoints(body) <= MAX_INBOUND_BODY_CODE_POINTS, `must be at most ${MAX_INBOUND_BODY_CODE_POINTS} characters`)
    .default(''),
  NumMedia: z
    .string()
    .regex(/^\d{1,2}$/, 'must be a small whole number')
    .transform(Number)
    .default(0),
});

export type WebhookFormResult =
  | { readonly ok: true; readonly message: InboundWhatsAppMessage }
  | { readonly ok: false; readonly error: string };

export function parseWebhookForm(fields: unknown): WebhookFormResult {
  const parsed = webhookForm.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  const { MessageSid, From, Body, NumMedia } = parsed.data;
  return { ok: true, message: { messageSid: MessageSid, from: From, body: Body, numMedia: NumMedia } };
}
