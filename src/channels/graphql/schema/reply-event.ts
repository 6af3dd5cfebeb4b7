import type {
  ChatEvent,
  ReplyCompleted,
  ReplyDelta,
  ReplyEvent,
  ReplyFailed,
  ReplyStarted,
} from '../../../use-cases/chat-events.js';
import { encodeReplyCursor } from '../../../domain/reply-cursor.js';
import { builder } from '../builder.js';
import { eventOrThrow, subscriptionEvents } from '../subscription-events.js';
import { ChatRef } from './chat.js';
import { ErrorCodeEnum } from './error-code.js';
import { MessageRef } from './message.js';

export const ReplyStartedRef = builder.objectRef<ReplyStarted>('ReplyStarted').implement({
  description: 'The user message is stored and the reply has started (stored as STREAMING).',
  fields: (t) => ({
    chat: t.field({ type: ChatRef, resolve: (event) => event.chat }),
    userMessage: t.field({ type: MessageRef, resolve: (event) => event.userMessage }),
    assistantMessage: t.field({ type: MessageRef, resolve: (event) => event.assistantMessage }),
  }),
});

export const ReplyDeltaRef = builder.objectRef<ReplyDelta>('ReplyDelta').implement({
  description: 'The next piece of the reply.',
  fields: (t) => ({
    chatId: t.exposeID('chatId'),
    messageId: t.exposeID('messageId'),
    text: t.exposeString('text', { description: 'The new piece only; the pieces concatenate to the reply.' }),
    cursor: t.string({
      description:
        'Opaque: where the reply stands after this piece. Pass it to replyEvents(after:) to resume the reply ' +
        'with exactly the text that follows.',
      resolve: (event) => encodeReplyCursor(event.offset),
    }),
  }),
});

export const ReplyCompletedRef = builder.objectRef<ReplyCompleted>('ReplyCompleted').implement({
  description: 'The reply ended and is stored: COMPLETE, or INCOMPLETE when stopped or cut by the token budget.',
  fields: (t) => ({
    chatId: t.exposeID('chatId'),
    message: t.field({ type: MessageRef, description: 'The stored reply.', resolve: (event) => event.message }),
  }),
});

export const ReplyFailedRef = builder.objectRef<ReplyFailed>('ReplyFailed').implement({
  description: 'The reply failed upstream. What was delivered before the failure is stored.',
  fields: (t) => ({
    chatId: t.exposeID('chatId'),
    code: t.expose('code', { type: ErrorCodeEnum }),
    error: t.string({ description: 'What went wrong, for people.', resolve: (event) => event.reason }),
    message: t.field({
      type: MessageRef,
      description: 'The stored reply: FAILED, or INCOMPLETE with exactly the text delivered.',
      resolve: (event) => event.message,
    }),
  }),
});

const REPLY_TYPE_NAMES = {
  started: 'ReplyStarted',
  delta: 'ReplyDelta',
  completed: 'ReplyCompleted',
  failed: 'ReplyFailed',
  'chat-updated': 'ChatUpdated',
  'chat-deleted': 'ChatDeleted',
} as const satisfies Record<ChatEvent['type'], string>;

/** The GraphQL type of a core event. */
export const typeNameOf = (event: ChatEvent) => REPLY_TYPE_NAMES[event.type];

export const ReplyEventUnion = builder.unionType('ReplyEvent', {
  description: 'What happens to a reply, in order: ReplyStarted, ReplyDelta..., then ReplyCompleted or ReplyFailed.',
  types: [ReplyStartedRef, ReplyDeltaRef, ReplyCompletedRef, ReplyFailedRef],
  resolveType: (event: ReplyEvent) => typeNameOf(event),
});

builder.subscriptionField('replyEvents', (t) =>
  t.field({
    type: ReplyEventUnion,
    description:
      'One of your replies, from a cursor on: ReplyStarted, then ReplyDeltas with exactly the text after ' +
      '`after` (all of it when null), then ReplyCompleted or ReplyFailed. Works while the reply streams and ' +
      'after it ended, on any replica: the way to resume after a lost connection, or to follow a reply from ' +
      'another tab or device (see Chat.activeReply).',
    args: {
      messageId: t.arg.id({ required: true, description: 'The reply: its assistant message id.' }),
      after: t.arg.string({ description: 'The cursor of the last ReplyDelta received; null: from the start.' }),
    },
    subscribe: async (_root, { messageId, after }, ctx) =>
      subscriptionEvents(
        await ctx.core.watchReply(ctx.caller.userId, String(messageId), after ?? null, ctx.lifecycle.signal),
      ),
    resolve: (event) => eventOrThrow(event),
  }),
);
