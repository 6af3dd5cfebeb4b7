import { MESSAGE_ROLES, MESSAGE_STATUSES, type Message, type TokenUsage } from '../../../domain/message.js';
import { builder } from '../builder.js';

export const MessageRoleEnum = builder.enumType('MessageRole', { values: MESSAGE_ROLES });

export const MessageStatusEnum = builder.enumType('MessageStatus', {
  description:
    'STREAMING while the reply is produced; then COMPLETE, INCOMPLETE (stopped, cut short, or the upstream ' +
    'failed mid-reply: exactly the text delivered) or FAILED.',
  values: MESSAGE_STATUSES,
});

export const TokenUsageRef = builder.objectRef<TokenUsage>('TokenUsage').implement({
  description: 'What the upstream reported for the turn that produced a reply.',
  fields: (t) => ({
    promptTokens: t.exposeInt('promptTokens'),
    completionTokens: t.exposeInt('completionTokens'),
  }),
});

export const MessageRef = builder.objectRef<Message>('Message').implement({
  description: 'One message of a chat: the system prompt, a user message, or a reply.',
  fields: (t) => ({
    id: t.exposeID('id'),
    chatId: t.exposeID('chatId'),
    seq: t.exposeInt('seq', { description: 'Position in the chat, from 0 (the system prompt).' }),
    role: t.expose('role', { type: MessageRoleEnum }),
    content: t.exposeString('content'),
    tokenCount: t.exposeInt('tokenCount', {
      description: 'Chat-format tokens of this message, counted once when it was written.',
    }),
    status: t.expose('status', { type: MessageStatusEnum }),
    erased: t.exposeBoolean('erased', {
      description: 'Fell out of the context window: kept and listed on request, never sent upstream again.',
    }),
    model: t.exposeString('model'),
    finishReason: t.exposeString('finishReason', { nullable: true }),
    usage: t.field({ type: TokenUsageRef, nullable: true, resolve: (message) => message.usage }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MessageConnection = builder.connectionObject(
  { type: MessageRef, name: 'MessageConnection' },
  { name: 'MessageEdge' },
);

builder.mutationField('stopReply', (t) =>
  t.field({
    type: MessageRef,
    description:
      'Stops a reply in progress: the upstream request is aborted and exactly the text delivered so far is ' +
      'stored as INCOMPLETE. A reply that already ended is returned as it is.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, { messageId }, ctx) => ctx.core.stopReply(ctx.caller.userId, String(messageId)),
  }),
);
