import type { Redis } from 'ioredis';
import { DomainError } from '../../domain/errors.js';
import { chatIdOf, type ChatEvent } from '../../use-cases/chat-events.js';
import { DEFAULT_FEED_LIMITS, EventFeed, type EventFeedLimits } from '../events/event-feed.js';
import type { ChatEventBus, Logger } from '../../use-cases/ports.js';
import { fromJson, toJson } from './redis-serialization.js';

const CHANNEL_PREFIX = 'chatservice:chat:';

interface LocalChat {
  readonly feeds: Set<EventFeed>;
  /** Resolves once Redis confirmed the SUBSCRIBE. */
  readonly established: Promise<void>;
}

/**
 * Chat events shared by every replica through Redis pub/sub, one channel
 * per chat, subscribed while this process has a subscriber of that chat.
 * Every event, this process's own included, arrives through Redis, so all
 * subscribers see one order. `subscribe` resolves only once Redis confirmed
 * the SUBSCRIBE, so a caller that then reads state misses nothing published
 * after it (Yoga's Redis event target does not wait for that, and leaves a
 * failed SUBSCRIBE or PUBLISH unhandled, hence this small adapter).
 */
export class RedisChatEventBus implements ChatEventBus {
  private readonly chats = new Map<string, LocalChat>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
    private readonly limits: EventFeedLimits = DEFAULT_FEED_LIMITS,
  ) {
    subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
  }

  publish(event: ChatEvent): void {
    const chatId = chatIdOf(event);
    this.publisher.publish(CHANNEL_PREFIX + chatId, toJson(event)).catch((error: unknown) => {
      // Redis is down: this process's own subscribers still get the event; other
      // replicas' watchers fall back to the store (see followReply).
      this.logger.warn({ err: error, chatId, event: event.type }, 'publishing a chat event to redis failed; delivered locally only');
      for (const feed of this.chats.get(chatId)?.feeds ?? []) feed.push(event);
    });
  }

  async subscribe(chatId: string, signal?: AbortSignal): Promise<AsyncIterable<ChatEvent>> {
    const feed = new EventFeed(this.limits);
    let local = this.chats.get(chatId);
    if (local === undefined) {
      const established = this.subscriber.subscribe(CHANNEL_PREFIX + chatId).then(() => undefined);
      established.catch(() => {});
      local = { feeds: new Set(), established };
      this.chats.set(chatId, local);
    }
    // Added before the confirmation arrives, so no message that follows it can slip past.
    const { feeds } = local;
    feeds.add(feed);
    feed.onClose(() => this.leave(chatId, feeds, feed));
    try {
      await local.established;
    } catch (error) {
      await feed[Symbol.asyncIterator]().return?.();
      throw new DomainError('UNAVAILABLE', 'Live events are unavailable right now; try again shortly', { cause: error });
    }
    if (signal !== undefined) {
      const end = () => feed.end();
      if (signal.aborted) end();
      signal.addEventListener('abort', end, { once: true });
      feed.onClose(() => signal.removeEventListener('abort', end));
    }
    return feed;
  }

  private deliver(channel: string, message: string): void {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    const local = this.chats.get(channel.slice(CHANNEL_PREFIX.length));
    if (local === undefined) return;
    let event: ChatEvent;
    try {
      event = fromJson<ChatEvent>(message);
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'an unreadable chat event arrived from redis');
      return;
    }
    for (const feed of local.feeds) feed.push(event);
  }

  private leave(chatId: string, feeds: Set<EventFeed>, feed: EventFeed): void {
    feeds.delete(feed);
    if (feeds.size > 0 || this.chats.get(chatId)?.feeds !== feeds) return;
    this.chats.delete(chatId);
    this.subscriber.unsubscribe(CHANNEL_PREFIX + chatId).catch((error: unknown) => {
      this.logger.warn({ err: error, chatId }, 'unsubscribing from a chat on redis failed');
    });
  }
}
