import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { Logger } from '../../use-cases/ports.js';

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

export interface TwilioMessageClientOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** TWILIO_API_BASE_URL: where Twilio's REST API is reached (a fake in tests, a proxy); default Twilio's. */
  readonly apiBaseUrl?: string | undefined;
  /** Per request; a hung connection must not hold a reply (or a shutdown) for long. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger: Logger;
}

/** Bounded exponential backoff with jitter. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, initialDelayMs: 500, maxDelayMs: 4_000 };

export interface OutgoingMessage {
  readonly from: string;
  readonly to: string;
  readonly body: string;
}

export interface SentMessage {
  readonly sid: string;
  readonly status: string;
  readonly attempts: number;
}

/** Twilio's own answer for a message it refused, or why no answer came. */
export class TwilioSendError extends Error {
  override readonly name = 'TwilioSendError';
  constructor(
    message: string,
    readonly details: { readonly status?: number; readonly twilioCode?: number; readonly attempts: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TWILIO_API_ORIGIN = /^https:\/\/[a-z0-9.-]+\.twilio\.com(?=\/|$)/i;
// Failures that a later try may not meet: the connection, not the request, went wrong.
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * Sends messages through Twilio's REST API with the official SDK
 * (`client.messages.create`), retrying what may succeed later (429, 5xx,
 * connection failures) with bounded backoff. Other refusals (a bad number, a
 * body over the limit) are final.
 *
 * A retried 5xx can, rarely, mean Twilio did create the message and the
 * recipient sees it twice: the Messages API takes no idempotency key, and a
 * duplicate beats a lost answer.
 */
export class TwilioMessageClient {
  private readonly retry: RetryPolicy;

  private constructor(
    private readonly client: twilio.Twilio,
    private readonly logger: Logger,
    retry: Partial<RetryPolicy> | undefined,
  ) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...retry };
  }

  static create(options: TwilioMessageClientOptions): TwilioMessageClient {
    const timeout = options.timeoutMs ?? 15_000;
    const httpClient =
      options.apiBaseUrl === undefined
        ? new twilio.RequestClient({ timeout })
        : new RebasedRequestClient(options.apiBaseUrl, { timeout });
    const client = twilio(options.accountSid, options.authToken, { httpClient });
    return new TwilioMessageClient(client, options.logger, options.retry);
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const created = await this.client.messages.create({ from: message.from, to: message.to, body: message.body });
        return { sid: created.sid, status: created.status, attempts: attempt };
      } catch (error) {
        const details = describe(error);
        const retryable = isTransient(error) && attempt < this.retry.attempts;
        this.logger.warn({ ...details, attempt, retryable }, 'Twilio refused or did not answer a message request');
        if (!retryable) {
          throw new TwilioSendError(
            `Twilio did not accept the message after ${attempt} attempt(s): ${details.reason}`,
            { status: details.status, twilioCode: details.twilioCode, attempts: attempt },
            { cause: error },
          );
        }
        await sleep(backoff(this.retry, attempt));
      }
    }
  }
}

/**
 * The SDK builds https://api.twilio.com/... URLs (with edge/region hosts when
 * those are set); this client sends them to another base URL instead, the way
 * Twilio's docs suggest for proxies and test doubles (a custom httpClient).
 */
class RebasedRequestClient extends twilio.RequestClient {
  private readonly base: string;

  constructor(baseUrl: string, options: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(options);
    this.base = baseUrl.replace(/\/+$/, '');
  }

  override request<TData>(options: RequestOptions<TData>) {
    return super.request<TData>({ ...options, uri: options.uri.replace(TWILIO_API_ORIGIN, this.base) });
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof twilio.RestException) return error.status === 429 || error.status >= 500;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}

function describe(error: unknown): { status?: number; twilioCode?: number; reason: string } {
  if (error instanceof twilio.RestException) {
    return { status: error.status, twilioCode: error.code, reason: `HTTP ${error.status}, Twilio error ${error.code ?? 'unknown'}: ${error.message}` };
  }
  const code = (error as { code?: unknown } | null)?.code;
  return { reason: typeof code === 'string' ? code : error instanceof Error ? error.message : String(error) };
}

/** Exponential, capped, with "equal jitter": never less than half the step, so retries stay spread out. */
function backoff(policy: RetryPolicy, attempt: number): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return step / 2 + Math.random() * (step / 2);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
