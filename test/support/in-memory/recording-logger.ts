import type { Logger } from '../../../src/use-cases/ports.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: object;
  readonly msg: string | undefined;
}

/** A logger that prints nothing and keeps every entry, so a test can check that something "is logged". */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(fields: object, msg?: string): void {
    this.entries.push({ level: 'debug', fields, msg });
  }

  info(fields: object, msg?: string): void {
    this.entries.push({ level: 'info', fields, msg });
  }

  warn(fields: object, msg?: string): void {
    this.entries.push({ level: 'warn', fields, msg });
  }

  error(fields: object, msg?: string): void {
    this.entries.push({ level: 'error', fields, msg });
  }

  /** The messages logged at `level`, in order. */
  messages(level: LogEntry['level']): (string | undefined)[] {
    return this.entries.filter((entry) => entry.level === level).map((entry) => entry.msg);
  }
}
