/** One message as Twilio delivered it, already validated by the webhook (see webhook-form.ts). */
export interface InboundWhatsAppMessage {
  readonly messageSid: string;
  /** `whatsapp:+<number>`; also the user id. */
  readonly from: string;
  readonly body: string;
  readonly numMedia: number;
}
