import { createPubSub } from 'graphql-yoga';
import type { ChatEvent } from '../../use-cases/chat-events.js';
import { chatIdOf } from '../../use-cases/chat-events.js';
import type { ChatEventBus } from '../../use-cases/ports.js';

type Channels = { 'chat:event': [chatId: string, event: ChatEvent] };

/**
 * Chat events within one process, on Yoga's typed pub/sub. Running several
 * instances only needs a shared event target (Redis) passed to createPubSub.
 */
export class InProcessChatEventBus implements ChatEventBus {
  private readonly pubsub = createPubSub<Channels>();

  publish(event: ChatEvent): void {
    this.pubsub.publish('chat:event', chatIdOf(event), event);
  }

  subscribe(chatId: string, signal?: AbortSignal): AsyncIterable<ChatEvent> {
    const events = this.pubsub.subscribe('chat:event', chatId);
    signal?.addEventListener('abort', () => void events.return?.(), { once: true });
    return events;
  }
}
