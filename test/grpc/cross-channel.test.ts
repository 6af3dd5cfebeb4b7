import { untilDefined } from '../support/eventually.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResponse__Output } from '../../src/channels/grpc/generated/pb/ChatResponse.js';
import type { ChatServiceClient } from '../../src/channels/grpc/generated/pb/ChatService.js';
import { ChatEventsDocument } from '../graphql/generated/graphql.js';
import { subscribe, wsClient } from '../graphql/graphql-clients.js';
import { storeEngines } from '../support/stores.js';
import { useTestApp } from '../support/test-app.js';
import { auth, collect, legacyClient } from './support/grpc-clients.js';

describe.each(storeEngines())('gRPC and GraphQL together on %s', (engine) => {
  const t = useTestApp(engine);
  let client: ChatServiceClient;
  beforeAll(() => {
    client = legacyClient(t().grpcPort);
  });
  afterAll(() => client?.close());

  it('shows a message sent over gRPC, and its streaming reply, live on a GraphQL chatEvents subscriber', async () => {
    const first = await collect<ChatResponse__Output>(client.ChatStream({ user_id: 'alice', user_message: 'Hello' }, auth()));
    const chatId = first.messages.at(-1)!.chat_id;
    const ws = wsClient(t(), { userId: 'alice' });
    try {
      const events = subscribe(ws, ChatEventsDocument, { chatId });
      // The feed is live once a rename shows up on it (graphql-ws acknowledges subscriptions silently).
      const firstEvent = events.next();
      await untilDefined(async () => {
        await t().app.core.renameChat('alice', chatId, 'Shared chat');
        return Promise.race([firstEvent.then(() => true), new Promise<undefined>((r) => setTimeout(r, 50))]);
      });

      t().openai!.reply({ deltas: ['From', ' the', ' BFF'] });
      const second = await collect<ChatResponse__Output>(
        client.ChatStream({ chat_id: chatId, user_id: 'alice', user_message: 'Hello via gRPC' }, auth()),
      );
      expect(second.error).toBeUndefined();

      const seen = [];
      for (;;) {
        const event = (await events.next()).data!.chatEvents;
        if (event.__typename === 'ChatUpdated') continue;
        seen.push(event);
        if (event.__typename === 'ReplyCompleted') break;
      }
      // A subscriber that lags gets merged deltas: what is fixed is the order and the text they add up to.
      expect(seen[0]!.__typename).toBe('ReplyStarted');
      expect(seen.at(-1)!.__typename).toBe('ReplyCompleted');
      expect(seen.slice(1, -1).every((e) => e.__typename === 'ReplyDelta')).toBe(true);
      expect(seen.slice(1, -1).map((e) => (e.__typename === 'ReplyDelta' ? e.text : '')).join('')).toBe('From the BFF');
      expect(seen[0]).toMatchObject({ userMessage: { content: 'Hello via gRPC' } });
      expect(seen.at(-1)).toMatchObject({ message: { content: 'From the BFF', status: 'COMPLETE' } });
      await events.stop();
    } finally {
      await ws.dispose();
    }
  });
});
