import { toPublicError, type ErrorCode } from '../../../domain/errors.js';
import type { Chat } from '../../../domain/chat.js';
import type { Message } from '../../../domain/message.js';
import type { SendMessageInput as CoreSendMessageInput } from '../../../use-cases/send-message.js';
import { builder } from '../builder.js';
import { given } from '../connections.js';
import { replyFailure, waitForEndingOrThrow } from '../../replies/reply-ending.js';
import { eventOrThrow, subscriptionEvents } from '../subscription-events.js';
import type { GraphQLContext } from '../context.js';
import { ChatConfigInput, toConfigPatch } from './chat-config.js';
import { ChatRef } from './chat.js';
import { ErrorCodeEnum } from './error-code.js';
import { MessageRef } from './message.js';
import { ReplyEventUnion } from './reply-event.js';

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    chatId: t.id({ description: 'The chat to continue; absent: a new chat is created with the fields below.' }),
    content: t.string({ required: true }),
    model: t.string({ description: 'New chats only: one of `models`; default: the configured model.' }),
    personaId: t.id({ description: 'New chats only: one of `personas`.' }),
    systemPrompt: t.string({ description: 'New chats only: a system prompt of its own, instead of a persona.' }),
    config: t.field({ type: ChatConfigInput, description: 'For this chat from now on (new chat) or this turn.' }),
    idempotencyKey: t.string({
      description:
        'Sending again with the same key (and content) does not store the message twice: it answers with the ' +
        'turn the first send started.',
    }),
  }),
});

type SendMessageInputShape = typeof SendMessageInput.$inferInput;

function toCoreInput(input: SendMessageInputShape, ctx: GraphQLContext): CoreSendMessageInput {
  return {
    userId: ctx.caller.userId,
    chatId: input.chatId == null ? undefined : String(input.chatId),
    content: input.content,
    model: given(input.model),
    personaId: input.personaId == null ? undefined : String(input.personaId),
    systemPrompt: given(input.systemPrompt),
    config: toConfigPatch(input.config),
    idempotencyKey: given(input.idempotencyKey),
    channel: 'graphql',
  };
}

const ReplyErrorRef = builder.objectRef<{ code: ErrorCode; message: string }>('ReplyError').implement({
  fields: (t) => ({
    code: t.expose('code', { type: ErrorCodeEnum }),
    message: t.exposeString('message'),
  }),
});

interface SendMessageResult {
  readonly chat: Chat;
  readonly userMessage: Message;
  readonly reply: Message;
  readonly error: { code: ErrorCode; message: string } | null;
}

const SendMessagePayload = builder.objectRef<SendMessageResult>('SendMessagePayload').implement({
  fields: (t) => ({
    chat: t.field({ type: ChatRef, resolve: (result) => result.chat }),
    userMessage: t.field({ type: MessageRef, resolve: (result) => result.userMessage }),
    reply: t.field({
      type: MessageRef,
      description: 'The stored reply: COMPLETE, INCOMPLETE or FAILED.',
      resolve: (result) => result.reply,
    }),
    error: t.field({
      type: ReplyErrorRef,
      nullable: true,
      description: 'Why the reply failed upstream; null when it did not.',
      resolve: (result) => result.error,
    }),
  }),
});

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: SendMessagePayload,
    description:
      'Sends a message and answers once the whole reply is stored. Refusals (bad input, no such chat, ' +
      'ended, busy, too large) are errors with a code, and store nothing.',
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const stream = await ctx.core.sendMessage(toCoreInput(input, ctx));
      const ending = await waitForEndingOrThrow(stream);
      return {
        chat: stream.chat,
        userMessage: stream.userMessage,
        reply: ending.message,
        // Plain data: graphql-js would raise an Error instance returned as a field's value.
        error: ending.type === 'failed' ? toPublicError(replyFailure(ending)) : null,
      };
    },
  }),
);

builder.subscriptionField('sendMessage', (t) =>
  t.field({
    type: ReplyEventUnion,
    description:
      'Sends a message and streams its reply: ReplyStarted, ReplyDelta..., then ReplyCompleted or ReplyFailed. ' +
      'The reply belongs to the server: unsubscribing does not stop it (stopReply does), and replyEvents ' +
      'resumes it from the last cursor received.',
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    subscribe: async (_root, { input }, ctx) =>
      subscriptionEvents(await ctx.core.sendMessage(toCoreInput(input, ctx)), { onEnd: ctx.lifecycle.hold() }),
    resolve: (event) => eventOrThrow(event),
  }),
);
