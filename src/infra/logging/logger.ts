import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

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
    },
    options.destination ?? process.stdout,
  );
}
