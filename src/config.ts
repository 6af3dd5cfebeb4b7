import { z } from 'zod';
import type { AuthOptions } from './channels/auth/authenticator.js';
import { CONTEXT_STRATEGIES, MAX_STOP_SEQUENCES, type ContextStrategy } from './domain/chat-config.js';
import { parseStopList } from './stop-list.js';
import { LIMIT_MAXIMUMS, limitDefaults, type LimitSettings } from './domain/user-limits.js';

/**
 * Configuration from the environment (and .env). The original Go service's
 * keys keep working; where an old and a new key name the same thing, the new
 * one wins. Every problem is reported at once, naming the key.
 */
export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly bodyLimitBytes: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly databaseUrl: string;
  readonly auth: AuthOptions;
  readonly openai: {
    readonly apiKey?: string | undefined;
    readonly baseUrl?: string | undefined;
    readonly timeoutMs: number;
    readonly maxRetries: number;
  };
  readonly chat: {
    readonly model: string;
    /** MODEL_MAX_TOKENS: caps every model's context window. */
    readonly contextWindow?: number | undefined;
    readonly unknownModelWindow: number;
    /** MAX_TOKENS: the reply budget; absent means fit to the model. */
    readonly maxTokens?: number | undefined;
    readonly temperature: number;
    readonly topP: number;
    readonly stop: readonly string[];
    readonly presencePenalty: number;
    readonly frequencyPenalty: number;
    readonly systemPrompt: string;
    readonly personasFile?: string | undefined;
    /** CONTEXT_STRATEGY: what new chats (and chats stored without one) do with history that leaves the window. */
    readonly contextStrategy: ContextStrategy;
  };
  /** Summaries of erased history, for chats with the SUMMARIZE strategy. */
  readonly summaries: {
    /** SUMMARY_MODEL; absent: each chat's own model. */
    readonly model?: string | undefined;
    /** SUMMARY_MAX_TOKENS: the most tokens one summary may have. */
    readonly maxTokens: number;
    /** SUMMARY_TIMEOUT_MS: how long a turn waits for its summary before going on without it. */
    readonly timeoutMs: number;
  };
  readonly twilio?: {
    readonly accountSid: string;
    readonly authToken: string;
    readonly whatsappFrom: string;
    readonly apiBaseUrl?: string | undefined;
  } | undefined;
  readonly publicBaseUrl?: string | undefined;
  /** How long any store call may take before it fails with UNAVAILABLE. */
  readonly storeTimeoutMs: number;
  /** REDIS_URL: several replicas share events, reply logs, stops and idempotency keys through it. */
  readonly redisUrl?: string | undefined;
  /** SIGTERM: how long running replies may finish before they are stored INCOMPLETE. */
  readonly shutdownGraceMs: number;
  /** Durable replies: how long a producer's lease lasts, how often it checkpoints (and renews), how deltas are merged for subscribers. */
  readonly replies: {
    readonly leaseMs: number;
    readonly checkpointMs: number;
    readonly coalesceMs: number;
  };
  /** Usage accounting: every user's limits unless overridden (USER_*), prices, and who may scrape /metrics. */
  readonly usage: {
    readonly defaults: LimitSettings;
    /** MODEL_PRICES_FILE: JSON prices that override or add to the built-in table. */
    readonly pricesFile?: string | undefined;
    /** METRICS_TOKEN: when set, GET /metrics needs `authorization: Bearer <it>`. */
    readonly metricsToken?: string | undefined;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant.';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const ratio = (min: number, max: number) => z.coerce.number().min(min).max(max);
const list = z.string().transform((s) => s.split(',').map((t) => t.trim()).filter((t) => t.length > 0));
const url = z.url({ protocol: /^https?$/ });
const limitCount = (max: number) => z.coerce.number().int('must be a whole number').min(0, 'must be 0 (unlimited) or more').max(max);
const MAX_BUDGET_USD = LIMIT_MAXIMUMS.monthlyBudgetMicros / 1_000_000;
/** Dollars as written (`5`, `2.50`, `0.000001`), read exactly into micro-dollars: no floating-point rounding. */
const usdAmount = z
  .string()
  .trim()
  .regex(/^\d+(\.\d{1,6})?$/, 'must be an amount in USD with at most 6 decimals, e.g. 5 or 2.50 (0: unlimited)')
  .transform((usd) => {
    const [whole, fraction = ''] = usd.split('.');
    return Number(whole) * 1_000_000 + Number(fraction.padEnd(6, '0'));
  })
  .pipe(z.number().max(LIMIT_MAXIMUMS.monthlyBudgetMicros, `must be at most ${MAX_BUDGET_USD}`));

const schema = z.object({
  NODE_ENV: optional(z.enum(['production', 'development', 'test'])),
  HOST: optional(z.string()),
  HTTP_PORT: optional(port),
  WEB_SERVER_PORT: optional(port),
  GRPC_PORT: optional(port),
  GRPC_SERVER_PORT: optional(port),
  BODY_LIMIT_BYTES: optional(positiveInt),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),

  DATABASE_URL: optional(z.string()),
  DB_DRIVER: optional(z.enum(['mysql', 'sqlite', 'sqlite3'])),
  DB_HOST: optional(z.string()),
  DB_PORT: optional(port),
  DB_USER: optional(z.string()),
  DB_PASSWORD: optional(z.string()),
  DB_NAME: optional(z.string()),

  // Short tokens are refused only in production (checked below): the original service's .env uses 123456.
  AUTH_TOKEN: optional(z.string()),
  AUTH_TOKENS: optional(list.pipe(z.array(z.string().min(8, 'each token must be at least 8 characters')))),
  JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters (256 bits) for HS256')),
  JWT_JWKS_URL: optional(url),
  JWT_ISSUER: optional(z.string()),
  JWT_AUDIENCE: optional(z.string()),
  // Unsafe: a token without exp never expires. Off unless set to true.
  JWT_ALLOW_MISSING_EXP: optional(z.enum(['true', 'false'])),

  OPENAI_API_KEY: optional(z.string()),
  OPENAI_BASE_URL: optional(url),
  OPENAI_TIMEOUT_MS: optional(positiveInt),
  OPENAI_MAX_RETRIES: optional(z.coerce.number().int().min(0).max(10)),

  MODEL: optional(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/, 'must be a model name')),
  MODEL_MAX_TOKENS: optional(z.coerce.number().int().min(16)),
  UNKNOWN_MODEL_CONTEXT_WINDOW: optional(z.coerce.number().int().min(16)),
  MAX_TOKENS: optional(positiveInt),
  TEMPERATURE: optional(ratio(0, 2)),
  TOP_P: optional(ratio(0, 1)),
  N: optional(z.coerce.number().int().min(1).max(1, 'only 1 is supported: one reply per message')),
  STOP: optional(z.string().transform(parseStopList).pipe(z.array(z.string()).max(MAX_STOP_SEQUENCES, `at most ${MAX_STOP_SEQUENCES} sequences`))),
  PRESENCE_PENALTY: optional(ratio(-2, 2)),
  FREQUENCY_PENALTY: optional(ratio(-2, 2)),
  INITIAL_CHAT_MESSAGE: optional(z.string()),
  PERSONAS_FILE: optional(z.string()),
  CONTEXT_STRATEGY: optional(
    z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(CONTEXT_STRATEGIES, { error: `must be ${CONTEXT_STRATEGIES.join(' or ')}` })),
  ),
  SUMMARY_MODEL: optional(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/, 'must be a model name')),
  SUMMARY_MAX_TOKENS: optional(z.coerce.number().int().min(16, 'must be at least 16 (tokens)').max(16_384, 'must be at most 16384 (tokens)')),
  SUMMARY_TIMEOUT_MS: optional(z.coerce.number().int().min(100, 'must be at least 100 (ms)').max(600_000)),

  TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an account SID (AC + 32 hex digits)')),
  TWILIO_AUTH_TOKEN: optional(z.string()),
  TWILIO_WHATSAPP_FROM: optional(z.string().regex(/^whatsapp:\+[1-9]\d{6,14}$/, 'must look like whatsapp:+14155238886')),
  TWILIO_API_BASE_URL: optional(url),
  PUBLIC_BASE_URL: optional(url),

  REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be redis://[user:password@]host:port[/db] or rediss://…' })),
  STORE_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(60_000)),
  SHUTDOWN_GRACE_MS: optional(z.coerce.number().int().min(0).max(600_000)),
  REPLY_LEASE_MS: optional(z.coerce.number().int().min(1_000, 'must be at least 1000 (ms)').max(3_600_000)),
  REPLY_CHECKPOINT_MS: optional(z.coerce.number().int().min(50, 'must be at least 50 (ms)').max(600_000)),
  REPLY_COALESCE_MS: optional(z.coerce.number().int().min(0).max(1_000, 'must be at most 1000 (ms)')),

  // Per-user limits; 0 (or unset) is unlimited.
  USER_REQUESTS_PER_MINUTE: optional(limitCount(LIMIT_MAXIMUMS.requestsPerMinute)),
  USER_DAILY_TOKENS: optional(limitCount(LIMIT_MAXIMUMS.dailyTokens)),
  USER_MONTHLY_BUDGET_USD: optional(usdAmount),
  USER_CONCURRENT_REPLIES: optional(limitCount(LIMIT_MAXIMUMS.concurrentReplies)),
  MODEL_PRICES_FILE: optional(z.string()),
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
});

type RawConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`));
  }
  const raw = parsed.data;
  const problems: string[] = [];
  const config: Config = {
    env: raw.NODE_ENV ?? 'development',
    host: raw.HOST ?? '0.0.0.0',
    httpPort: raw.HTTP_PORT ?? raw.WEB_SERVER_PORT ?? 8080,
    grpcPort: raw.GRPC_PORT ?? raw.GRPC_SERVER_PORT ?? 50051,
    bodyLimitBytes: raw.BODY_LIMIT_BYTES ?? 256 * 1024,
    logLevel: raw.LOG_LEVEL ?? 'info',
    databaseUrl: databaseUrl(raw, problems),
    auth: {
      serviceTokens: [...new Set([...(raw.AUTH_TOKEN ? [raw.AUTH_TOKEN] : []), ...(raw.AUTH_TOKENS ?? [])])],
      jwt:
        raw.JWT_SECRET || raw.JWT_JWKS_URL
          ? {
              secret: raw.JWT_SECRET,
              jwksUrl: raw.JWT_JWKS_URL,
              issuer: raw.JWT_ISSUER,
              audience: raw.JWT_AUDIENCE,
              allowMissingExp: raw.JWT_ALLOW_MISSING_EXP === 'true',
            }
          : undefined,
    },
    openai: {
      apiKey: raw.OPENAI_API_KEY,
      baseUrl: raw.OPENAI_BASE_URL,
      timeoutMs: raw.OPENAI_TIMEOUT_MS ?? 120_000,
      maxRetries: raw.OPENAI_MAX_RETRIES ?? 2,
    },
    chat: {
      model: raw.MODEL ?? 'gpt-4o-mini',
      contextWindow: raw.MODEL_MAX_TOKENS,
      unknownModelWindow: raw.UNKNOWN_MODEL_CONTEXT_WINDOW ?? 8_192,
      maxTokens: raw.MAX_TOKENS,
      temperature: raw.TEMPERATURE ?? 1,
      topP: raw.TOP_P ?? 1,
      stop: raw.STOP ?? [],
      presencePenalty: raw.PRESENCE_PENALTY ?? 0,
      frequencyPenalty: raw.FREQUENCY_PENALTY ?? 0,
      systemPrompt: raw.INITIAL_CHAT_MESSAGE?.trim() || DEFAULT_SYSTEM_PROMPT,
      personasFile: raw.PERSONAS_FILE,
      contextStrategy: raw.CONTEXT_STRATEGY ?? 'TRUNCATE',
    },
    summaries: {
      model: raw.SUMMARY_MODEL,
      maxTokens: raw.SUMMARY_MAX_TOKENS ?? 512,
      timeoutMs: raw.SUMMARY_TIMEOUT_MS ?? 20_000,
    },
    twilio: twilio(raw, problems),
    publicBaseUrl: raw.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    storeTimeoutMs: raw.STORE_TIMEOUT_MS ?? 2_000,
    redisUrl: raw.REDIS_URL,
    shutdownGraceMs: raw.SHUTDOWN_GRACE_MS ?? 10_000,
    replies: {
      leaseMs: raw.REPLY_LEASE_MS ?? 15_000,
      checkpointMs: raw.REPLY_CHECKPOINT_MS ?? 1_000,
      coalesceMs: raw.REPLY_COALESCE_MS ?? 16,
    },
    usage: {
      defaults: limitDefaults({
        requestsPerMinute: raw.USER_REQUESTS_PER_MINUTE,
        dailyTokens: raw.USER_DAILY_TOKENS,
        monthlyBudgetMicros: raw.USER_MONTHLY_BUDGET_USD,
        concurrentReplies: raw.USER_CONCURRENT_REPLIES,
      }),
      pricesFile: raw.MODEL_PRICES_FILE,
      metricsToken: raw.METRICS_TOKEN,
    },
  };
  if (raw.AUTH_TOKEN !== undefined && isShortServiceToken(raw.AUTH_TOKEN) && config.env === 'production') {
    problems.push(`AUTH_TOKEN: must be at least ${MIN_SERVICE_TOKEN_LENGTH} characters in production`);
  }
  if (raw.JWT_SECRET && raw.JWT_JWKS_URL) problems.push('JWT_SECRET and JWT_JWKS_URL: set one, not both');
  if ((raw.JWT_ISSUER || raw.JWT_AUDIENCE) && !config.auth.jwt) {
    problems.push('JWT_ISSUER/JWT_AUDIENCE: need JWT_SECRET or JWT_JWKS_URL');
  }
  // Replicas share one database: each would have its own SQLite file.
  if (config.redisUrl !== undefined && !/^mysql2?:\/\//i.test(config.databaseUrl)) {
    problems.push('REDIS_URL: several replicas need a shared MySQL store; set DATABASE_URL=mysql://… (or DB_DRIVER=mysql), or unset REDIS_URL');
  }
  // A lease must survive a missed renewal or two, or a slow store would hand live replies to recovery.
  if (config.replies.checkpointMs * 3 > config.replies.leaseMs) {
    problems.push(
      `REPLY_CHECKPOINT_MS: must be at most a third of REPLY_LEASE_MS (${config.replies.leaseMs}), so a lease survives a missed renewal`,
    );
  }
  const window = config.chat.contextWindow;
  if (window !== undefined && config.chat.maxTokens !== undefined && config.chat.maxTokens >= window) {
    problems.push(`MAX_TOKENS: the reply budget (${config.chat.maxTokens}) must be smaller than MODEL_MAX_TOKENS (${window})`);
  }
  // A summary call needs room for its instruction and some history besides the summary itself. The
  // default is capped to the window at run time instead, so that small windows keep starting as before.
  if (window !== undefined && raw.SUMMARY_MAX_TOKENS !== undefined && config.summaries.maxTokens * 2 > window) {
    problems.push(`SUMMARY_MAX_TOKENS: the summary budget (${config.summaries.maxTokens}) must be at most half of MODEL_MAX_TOKENS (${window})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export const MIN_SERVICE_TOKEN_LENGTH = 8;

const isShortServiceToken = (token: string): boolean => token.length < MIN_SERVICE_TOKEN_LENGTH;

/**
 * Warnings to print loudly at start: a short AUTH_TOKEN is accepted outside
 * production so that an existing deployment (and the BFF that hard-codes its
 * token) can switch over, but it can be guessed.
 */
export function serviceTokenWarnings(config: Config): string[] {
  return config.auth.serviceTokens.some(isShortServiceToken)
    ? [
        `AUTH_TOKEN is shorter than ${MIN_SERVICE_TOKEN_LENGTH} characters: anyone who guesses it can act as any user. ` +
          'Use a long random token (openssl rand -base64 32); NODE_ENV=production refuses short tokens.',
      ]
    : [];
}

function databaseUrl(raw: RawConfig, problems: string[]): string {
  if (raw.DATABASE_URL) {
    if (/^[a-z0-9+]+:\/\//i.test(raw.DATABASE_URL) && !raw.DATABASE_URL.startsWith('mysql://')) {
      problems.push('DATABASE_URL: expected mysql://user:password@host:port/database or a SQLite file path');
    }
    return raw.DATABASE_URL;
  }
  if (raw.DB_DRIVER === 'mysql') {
    if (!raw.DB_HOST || !raw.DB_NAME) {
      problems.push('DB_DRIVER=mysql: needs DB_HOST and DB_NAME (or set DATABASE_URL)');
      return '';
    }
    const auth = raw.DB_USER
      ? `${encodeURIComponent(raw.DB_USER)}${raw.DB_PASSWORD ? `:${encodeURIComponent(raw.DB_PASSWORD)}` : ''}@`
      : '';
    return `mysql://${auth}${raw.DB_HOST}:${raw.DB_PORT ?? 3306}/${encodeURIComponent(raw.DB_NAME)}`;
  }
  if (raw.DB_DRIVER && raw.DB_NAME) return raw.DB_NAME;
  return './data/chatservice.db';
}

function twilio(raw: RawConfig, problems: string[]): Config['twilio'] {
  const keys = [raw.TWILIO_ACCOUNT_SID, raw.TWILIO_AUTH_TOKEN, raw.TWILIO_WHATSAPP_FROM];
  if (keys.every((k) => k === undefined)) return undefined;
  if (keys.some((k) => k === undefined)) {
    problems.push('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM: set all three to enable WhatsApp, or none');
    return undefined;
  }
  return {
    accountSid: raw.TWILIO_ACCOUNT_SID!,
    authToken: raw.TWILIO_AUTH_TOKEN!,
    whatsappFrom: raw.TWILIO_WHATSAPP_FROM!,
    apiBaseUrl: raw.TWILIO_API_BASE_URL,
  };
}
