import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

interface RequestContext {
  readonly requestId: string;
}

/**
 * Carries the request id through everything a request causes, including the
 * use cases and the reply it starts, so every log line of a request has it.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/**
 * Structured JSON logs. Credentials are never logged (headers that carry them
 * are redacted; config objects are not logged); message contents are never
 * logged at info level (callers log ids and counts). Redaction paths are
 * explicit: wildcards would cost on every line.
 */
export function createLogger(options: { level: LevelWithSilent; destination?: NodeJS.WritableStream }): PinoLogger {
  return pino(
    {
      level: options.level,
      base: { service: 'chatservice' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-twilio-signature"]',
        ],
        censor: '[redacted]',
      },
      mixin(_object, _level, logger) {
        const store = requestContext.getStore();
        if (!store || 'requestId' in logger.bindings()) return {};
        return { requestId: store.requestId };
      },
    },
    options.destination ?? process.stdout,
  );
}
