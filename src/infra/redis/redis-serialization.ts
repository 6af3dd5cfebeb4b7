/**
 * Events and records cross Redis as JSON; their times come back as Dates.
 * Only these keys hold times in what we send (chats, messages, leases).
 */
const DATE_KEYS = new Set(['createdAt', 'updatedAt', 'expiresAt']);

export const toJson = (value: unknown): string => JSON.stringify(value);

export const fromJson = <T>(text: string): T =>
  JSON.parse(text, (key, value: unknown) => (DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value)) as T;
