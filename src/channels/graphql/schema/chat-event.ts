import type { ChatDeleted, ChatEvent, ChatUpdated } from '../../../use-cases/chat-events.js';
import { builder } from '../builder.js';
import { eventOrThrow, subscriptionEvents } from '../subscription-events.js';
import { ChatRef } from './chat.js';
import { ReplyCompletedRef, ReplyDeltaRef, ReplyFailedRef, ReplyStartedRef, typeNameOf } from './reply-event.js';

const ChatUpdatedRef = builder.objectRef<ChatUpdated>('ChatUpdated').implement({
  description: 'The chat was created, renamed or ended.',
  fields: (t) => ({ chat: t.field({ type: ChatRef, resolve: (event) => event.chat }) }),
});

const ChatDeletedRef = builder.objectRef<ChatDeleted>('ChatDeleted').implement({
  description: 'The chat was deleted; the last event of its feed.',
  fields: (t) => ({ chatId: t.exposeID('chatId') }),
});

const ChatEventUnion = builder.unionType('ChatEvent', {
  types: [ReplyStartedRef, ReplyDeltaRef, ReplyCompletedRef, ReplyFailedRef, ChatUpdatedRef, ChatDeletedRef],
  resolveType: (event: ChatEvent) => typeNameOf(event),
});

builder.subscriptionField('chatEvents', (t) =>
  t.field({
    type: ChatEventUnion,
    description:
      'Everything that happens in one of your chats from now on, whichever channel caused it (GraphQL, ' +
      'gRPC, HTTP, WhatsApp): messages and their streaming replies, renames, the end, the deletion.',
    args: { chatId: t.arg.id({ required: true }) },
    subscribe: async (_root, { chatId }, ctx) =>
      subscriptionEvents(await ctx.core.watchChat(ctx.caller.userId, String(chatId), ctx.lifecycle.signal), {
        lastWhen: (event) => event.type === 'chat-deleted',
      }),
    resolve: (event) => eventOrThrow(event),
  }),
);
