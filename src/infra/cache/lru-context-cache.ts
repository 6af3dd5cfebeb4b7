import { LRUCache } from 'lru-cache';
import type { Message } from '../../domain/message.js';
import type { ContextCache } from '../../use-cases/ports.js';

export interface LruContextCacheOptions {
  /** Chats kept at most. */
  readonly maxChats: number;
  /** Characters of message text kept at most, over all chats (plus a fixed cost per message). */
  readonly maxChars: number;
}

export const DEFAULT_CONTEXT_CACHE: LruContextCacheOptions = { maxChats: 10_000, maxChars: 32_000_000 };

/** What a message costs beyond its text: ids, counts, dates, the object itself, in characters' worth. */
const PER_MESSAGE_OVERHEAD = 256;

interface Entry {
  readonly lastSeq: number;
  readonly context: readonly Message[];
  /** What the context counts against maxChars: kept with it, so that a reply's ending updates it without a pass over the chat. */
  readonly size: number;
}

const sizeOf = (message: Message): number => message.content.length + PER_MESSAGE_OVERHEAD;

/** The contexts of the chats used last, within a bound on chats and on text (least recently used go first). */
export class LruContextCache implements ContextCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(options: LruContextCacheOptions = DEFAULT_CONTEXT_CACHE) {
    this.entries = new LRUCache<string, Entry>({
      max: options.maxChats,
      maxSize: options.maxChars,
      sizeCalculation: (entry) => entry.size,
    });
  }

  get(chatId: string, lastSeq: number): readonly Message[] | undefined {
    const entry = this.entries.get(chatId);
    if (entry === undefined) return undefined;
    if (entry.lastSeq === lastSeq) return entry.context;
    // The chat moved on elsewhere (another process's turn): this copy is of no more use.
    this.entries.delete(chatId);
    return undefined;
  }

  set(chatId: string, lastSeq: number, context: readonly Message[]): void {
    // A context too large for the whole budget is simply not kept (lru-cache refuses it).
    this.entries.set(chatId, { lastSeq, context, size: context.reduce((size, m) => size + sizeOf(m), 1) });
  }

  replyStored(reply: Message): void {
    const entry = this.entries.peek(reply.chatId);
    const last = entry?.context.at(-1);
    if (entry === undefined || last?.id !== reply.id) return;
    const size = entry.size - sizeOf(last) + sizeOf(reply);
    this.entries.set(reply.chatId, { lastSeq: entry.lastSeq, context: [...entry.context.slice(0, -1), reply], size });
  }
}
