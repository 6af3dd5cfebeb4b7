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
 * Structured JSON logs. Credentials are redacted wherever they appear; message
 * contents are never logged at info level (callers log ids and counts).
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
          '*.apiKey',
          '*.authToken',
          '*.password',
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
