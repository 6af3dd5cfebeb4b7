import { chatIdOf, type ChatEvent } from '../../use-cases/chat-events.js';
import { DEFAULT_FEED_LIMITS, EventFeed, type EventFeedLimits } from './event-feed.js';
import type { ChatEventBus } from '../../use-cases/ports.js';

/**
 * Chat events within one process. Subscribers are kept per chat, so
 * publishing costs one lookup plus the chat's own subscribers, whatever the
 * number of subscribers of other chats; each subscriber has a bounded
 * EventFeed, so one that stops reading cannot harm the process or the others.
 */
export class InProcessChatEventBus implements ChatEventBus {
  private readonly subscribers = new Map<string, Set<EventFeed>>();

  constructor(private readonly limits: EventFeedLimits = DEFAULT_FEED_LIMITS) {}

  publish(event: ChatEvent): void {
    const feeds = this.subscribers.get(chatIdOf(event));
    if (feeds === undefined) return;
    for (const feed of feeds) feed.push(event);
  }

  subscribe(chatId: string, signal?: AbortSignal): Promise<AsyncIterable<ChatEvent>> {
    const feed = new EventFeed(this.limits);
    let feeds = this.subscribers.get(chatId);
    if (feeds === undefined) {
      feeds = new Set();
      this.subscribers.set(chatId, feeds);
    }
    feeds.add(feed);
    feed.onClose(() => {
      feeds.delete(feed);
      if (feeds.size === 0 && this.subscribers.get(chatId) === feeds) this.subscribers.delete(chatId);
    });
    if (signal !== undefined) {
      const end = () => feed.end();
      if (signal.aborted) end();
      signal.addEventListener('abort', end, { once: true });
      feed.onClose(() => signal.removeEventListener('abort', end));
    }
    return Promise.resolve(feed);
  }
}
