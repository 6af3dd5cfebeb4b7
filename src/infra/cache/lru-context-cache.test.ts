import { describe, expect, it } from 'vitest';
import type { Message } from '../../domain/message.js';
import { LruContextCache } from './lru-context-cache.js';

function message(chatId: string, seq: number, content = `message ${seq}`, status: Message['status'] = 'COMPLETE'): Message {
  return {
    id: `${chatId}-${seq}`,
    chatId,
    seq,
    role: seq % 2 === 1 ? 'USER' : 'ASSISTANT',
    content,
    tokenCount: 5,
    status,
    erased: false,
    model: 'gpt-4o',
    finishReason: null,
    usage: null,
    errorCode: null,
    createdAt: new Date(0),
  };
}

describe('LruContextCache', () => {
  it('serves a context only for the last seq it was stored with', () => {
    const cache = new LruContextCache();
    const context = [message('a', 0), message('a', 1), message('a', 2)];
    cache.set('a', 2, context);
    expect(cache.get('a', 2)).toBe(context);
    // The chat moved on elsewhere: the copy is dropped, and stays dropped.
    expect(cache.get('a', 4)).toBeUndefined();
    expect(cache.get('a', 2)).toBeUndefined();
  });

  it('takes the stored ending of the reply that ends the context, and nothing else', () => {
    const cache = new LruContextCache();
    const streaming = message('a', 2, '', 'STREAMING');
    cache.set('a', 2, [message('a', 0), message('a', 1), streaming]);
    cache.replyStored(message('a', 1, 'not the last message'));
    expect(cache.get('a', 2)!.at(-1)).toBe(streaming);

    const stored = { ...streaming, content: 'the whole reply', status: 'COMPLETE' as const };
    cache.replyStored(stored);
    expect(cache.get('a', 2)!.map((m) => m.content)).toEqual(['message 0', 'message 1', 'the whole reply']);
    expect(cache.get('a', 2)!.at(-1)).toBe(stored);
  });

  it('keeps within its bounds, dropping the chats used least recently', () => {
    const cache = new LruContextCache({ maxChats: 10, maxChars: 3_000 });
    const big = (chatId: string) => [message(chatId, 0, 'x'.repeat(700))];
    cache.set('a', 0, big('a'));
    cache.set('b', 0, big('b'));
    cache.set('c', 0, big('c'));
    expect(cache.get('a', 0)).toBeDefined(); // a is now the most recently used
    cache.set('d', 0, big('d'));
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBeDefined();
    expect(cache.get('d', 0)).toBeDefined();
    // A context larger than the whole budget is not kept at all.
    cache.set('e', 0, [message('e', 0, 'y'.repeat(5_000))]);
    expect(cache.get('e', 0)).toBeUndefined();
  });

  it("counts a reply's stored text against the bound", () => {
    const cache = new LruContextCache({ maxChats: 10, maxChars: 3_000 });
    cache.set('a', 0, [message('a', 0, 'x'.repeat(700))]);
    cache.set('b', 1, [message('b', 0), message('b', 1, '', 'STREAMING')]);
    expect(cache.get('a', 0)).toBeDefined();
    // b's reply ends with 2,000 characters: with a's 700 the cache is over its bound, and a was used before b.
    cache.replyStored({ ...message('b', 1), content: 'y'.repeat(2_000) });
    expect(cache.get('b', 1)!.at(-1)!.content).toHaveLength(2_000);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});
