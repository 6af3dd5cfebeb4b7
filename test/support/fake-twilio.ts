import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/**
 * A fake of Twilio for WhatsApp tests, playing both of Twilio's parts:
 *
 * - its REST API on 127.0.0.1 (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`,
 *   form-encoded, Basic auth), answering with Twilio's JSON message resource or
 *   its error body, so the real `twilio` SDK is exercised; failures can be
 *   scripted for the next requests;
 * - its webhook client: `postWebhook` sends an incoming message the way Twilio
 *   does, form-encoded and signed with the `twilio` library.
 */

export const TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TEST_AUTH_TOKEN = 'test-twilio-auth-token-0123456789';
export const TEST_WHATSAPP_FROM = 'whatsapp:+14155238886';
/** Twilio's limit on a message body, in UTF-16 code units (our conservative reading of "characters"). */
export const FAKE_BODY_LIMIT = 1_600;

/** A message Twilio accepted. */
export interface FakeTwilioMessage {
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
}

/** Every request that reached the REST API, accepted or not. */
export interface FakeTwilioRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly form: Readonly<Record<string, string>>;
  readonly status: number;
}

/** An HTTP error with Twilio's error body, or a connection dropped without an answer. */
export type FakeTwilioFailure = { readonly status: number; readonly code?: number; readonly message?: string } | 'drop';

export interface WebhookResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  readonly elapsedMs: number;
}

export interface WebhookOptions {
  /** The URL Twilio signs; default the URL posted to. */
  readonly signedUrl?: string;
  /** Replaces the signature (an empty string sends none). */
  readonly signature?: string;
  /** Signs with this token instead of the account's. */
  readonly signingToken?: string;
}

const TWILIO_ERRORS: Record<number, { code: number; message: string }> = {
  400: { code: 21211, message: "Invalid 'To' Phone Number" },
  401: { code: 20003, message: 'Authenticate' },
  404: { code: 20404, message: 'The requested resource was not found' },
  429: { code: 20429, message: 'Too Many Requests' },
  500: { code: 20500, message: 'Internal Server Error' },
  503: { code: 20503, message: 'Service Unavailable' },
};

export class FakeTwilio {
  readonly messages: FakeTwilioMessage[] = [];
  readonly requests: FakeTwilioRequest[] = [];
  private readonly failures: FakeTwilioFailure[] = [];
  /** Scripted failures wait until this many messages have been accepted. */
  private failuresFrom = 0;
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    /** The REST API's base URL: pass it as TWILIO_API_BASE_URL. */
    readonly url: string,
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  static async start(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeTwilio(
      server,
      `http://127.0.0.1:${port}`,
      options.accountSid ?? TEST_ACCOUNT_SID,
      options.authToken ?? TEST_AUTH_TOKEN,
    );
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else fake.sendTwilioError(res, 500, { code: 20500, message: `FakeTwilio failed: ${String(error)}` });
      });
    });
    return fake;
  }

  /** The environment that points the service at this fake. */
  env(): Record<string, string> {
    return {
      TWILIO_ACCOUNT_SID: this.accountSid,
      TWILIO_AUTH_TOKEN: this.authToken,
      TWILIO_WHATSAPP_FROM: TEST_WHATSAPP_FROM,
      TWILIO_API_BASE_URL: this.url,
    };
  }

  /**
   * The next `count` message requests fail this way, then requests succeed
   * again; with `afterAccepted`, only once that many more messages were accepted.
   */
  failNext(count: number, failure: FakeTwilioFailure, options: { afterAccepted?: number } = {}): this {
    for (let i = 0; i < count; i += 1) this.failures.push(failure);
    this.failuresFrom = this.messages.length + (options.afterAccepted ?? 0);
    return this;
  }

  messagesTo(to: string): FakeTwilioMessage[] {
    return this.messages.filter((m) => m.to === to);
  }

  /** Resolves once `count` messages have been accepted (in total); rejects after `timeoutMs`. */
  async waitForMessages(count: number, timeoutMs = 5_000): Promise<FakeTwilioMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`FakeTwilio: expected ${count} message(s) within ${timeoutMs} ms, got ${this.messages.length}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages.slice(0, count);
  }

  reset(): void {
    this.messages.length = 0;
    this.requests.length = 0;
    this.failures.length = 0;
    this.failuresFrom = 0;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Twilio's X-Twilio-Signature for a POST of `fields` to `url`, computed by the twilio library. */
  sign(url: string, fields: Record<string, string>, token = this.authToken): string {
    return twilio.getExpectedTwilioSignature(token, url, fields);
  }

  /** Posts an incoming-message webhook to `url` as Twilio does: form-encoded, signed, with Twilio's headers. */
  async postWebhook(url: string, fields: Record<string, string>, options: WebhookOptions = {}): Promise<WebhookResponse> {
    const signature = options.signature ?? this.sign(options.signedUrl ?? url, fields, options.signingToken);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
    };
    if (signature !== '') headers['x-twilio-signature'] = signature;
    const started = Date.now();
    const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
    const body = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body, elapsedMs: Date.now() - started };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = req.url ?? '/';
    const form = Object.fromEntries(new URLSearchParams(raw));
    const record = (status: number) =>
      this.requests.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, form, status });

    const route = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path.split('?')[0]!);
    if (req.method !== 'POST' || !route) {
      record(404);
      return this.sendTwilioError(res, 404, { code: 20404, message: `The requested resource ${path} was not found` });
    }
    if (req.headers.authorization !== basicAuth(this.accountSid, this.authToken)) {
      record(401);
      return this.sendTwilioError(res, 401, TWILIO_ERRORS[401]!);
    }
    if (route[1] !== this.accountSid) {
      record(404);
      return this.sendTwilioError(res, 404, { code: 20404, message: `The requested resource ${path} was not found` });
    }

    const failure = this.messages.length >= this.failuresFrom ? this.failures.shift() : undefined;
    if (failure === 'drop') {
      record(0);
      res.destroy();
      return;
    }
    if (failure !== undefined) {
      record(failure.status);
      const known = TWILIO_ERRORS[failure.status] ?? { code: 20500, message: 'Internal Server Error' };
      return this.sendTwilioError(res, failure.status, { code: failure.code ?? known.code, message: failure.message ?? known.message });
    }

    const refusal = validate(form);
    if (refusal) {
      record(400);
      return this.sendTwilioError(res, 400, refusal);
    }
    record(201);
    const message: FakeTwilioMessage = { sid: `SM${randomBytes(16).toString('hex')}`, from: form.From!, to: form.To!, body: form.Body! };
    this.messages.push(message);
    for (const wake of this.waiters.splice(0)) wake();
    sendJson(res, 201, this.resourceOf(message));
  }

  /** Twilio's Message resource as the REST API returns it on create. */
  private resourceOf(message: FakeTwilioMessage): Record<string, unknown> {
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Messages/${message.sid}`;
    return {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: message.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: message.from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: null,
      sid: message.sid,
      status: 'queued',
      subresource_uris: { media: `${uri}/Media.json` },
      to: message.to,
      uri: `${uri}.json`,
    };
  }

  private sendTwilioError(res: ServerResponse, status: number, error: { code: number; message: string }): void {
    sendJson(res, status, {
      code: error.code,
      message: error.message,
      more_info: `https://www.twilio.com/docs/errors/${error.code}`,
      status,
    });
  }
}

/** The checks Twilio makes that our requests could fail. */
function validate(form: Record<string, string>): { code: number; message: string } | undefined {
  if (!form.To) return { code: 21604, message: "A 'To' phone number is required." };
  if (!form.From) return { code: 21603, message: "A 'From' phone number is required." };
  if (!form.Body) return { code: 21602, message: 'Message body is required.' };
  if (form.Body.length > FAKE_BODY_LIMIT) {
    return { code: 21617, message: 'The concatenated message body exceeds the 1600 character limit.' };
  }
  if (form.From.startsWith('whatsapp:') !== form.To.startsWith('whatsapp:')) {
    return { code: 21910, message: 'Invalid From and To pair. From and To should be of the same channel' };
  }
  return undefined;
}

const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The fields Twilio posts for an incoming WhatsApp text message. `from` is the
 * sender's number with or without the `whatsapp:` prefix.
 */
export function whatsAppInbound(options: {
  from: string;
  body?: string;
  messageSid?: string;
  numMedia?: number;
  to?: string;
  accountSid?: string;
}): Record<string, string> {
  const from = options.from.startsWith('whatsapp:') ? options.from : `whatsapp:${options.from}`;
  const numMedia = options.numMedia ?? 0;
  const sid = options.messageSid ?? newMessageSid(numMedia > 0 ? 'MM' : 'SM');
  const fields: Record<string, string> = {
    SmsMessageSid: sid,
    NumMedia: String(numMedia),
    ProfileName: 'Test User',
    MessageType: numMedia > 0 ? 'image' : 'text',
    SmsSid: sid,
    WaId: from.replace(/^whatsapp:\+/, ''),
    SmsStatus: 'received',
    Body: options.body ?? '',
    To: options.to ?? TEST_WHATSAPP_FROM,
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: sid,
    AccountSid: options.accountSid ?? TEST_ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
  };
  for (let i = 0; i < numMedia; i += 1) {
    fields[`MediaContentType${i}`] = 'image/jpeg';
    fields[`MediaUrl${i}`] = `https://api.twilio.com/2010-04-01/Accounts/${fields.AccountSid}/Messages/${sid}/Media/ME${randomBytes(16).toString('hex')}`;
  }
  return fields;
}

/** A fresh Twilio message SID: SM for text, MM for media. */
export const newMessageSid = (prefix: 'SM' | 'MM' = 'SM'): string => `${prefix}${randomBytes(16).toString('hex')}`;
