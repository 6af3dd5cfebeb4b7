import { CHAT_STATUSES, type Chat } from '../../../domain/chat.js';
import { builder } from '../builder.js';
import { given, toConnection } from '../connections.js';
import { ChatConfigInput, ChatConfigRef, toConfigPatch } from './chat-config.js';
import { ContextSummaryRef } from './context-summary.js';
import { MessageConnection, MessageRef } from './message.js';
import { PersonaRef } from './persona.js';

export const ChatStatusEnum = builder.enumType('ChatStatus', {
  description: 'An ENDED chat stays readable and accepts no new message.',
  values: CHAT_STATUSES,
});

export const ChatRef = builder.objectRef<Chat>('Chat').implement({
  description: 'A conversation of one user with one model.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    status: t.expose('status', { type: ChatStatusEnum }),
    model: t.exposeString('model'),
    persona: t.field({
      type: PersonaRef,
      nullable: true,
      resolve: (chat, _args, ctx) => (chat.personaId === null ? null : (ctx.core.findPersona(chat.personaId) ?? null)),
    }),
    systemPrompt: t.exposeString('systemPrompt'),
    config: t.field({ type: ChatConfigRef, resolve: (chat) => chat.config }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Latest activity.' }),
    activeReply: t.field({
      type: MessageRef,
      nullable: true,
      description:
        'The reply streaming in this chat now (its assistant message), or null: how a second tab or device ' +
        'finds a running reply to follow with replyEvents.',
      resolve: (chat, _args, ctx) => ctx.activeReplies.load(chat.id),
    }),
    contextSummary: t.field({
      type: ContextSummaryRef,
      nullable: true,
      description: 'The running summary of erased history (SUMMARIZE chats), or null when nothing was summarised yet.',
      resolve: (chat, _args, ctx) => ctx.contextSummaries.load(chat.id),
    }),
    latestMessage: t.field({
      type: MessageRef,
      nullable: true,
      description: 'The newest message, erased or not; loaded for a whole list of chats at once.',
      resolve: (chat, _args, ctx) => ctx.latestMessages.load(chat.id),
    }),
    messages: t.field({
      type: MessageConnection,
      description: 'Oldest first. Erased messages (out of the context window) only with includeErased.',
      args: {
        first: t.arg.int({ description: '1 to 100; default 20.' }),
        after: t.arg.string(),
        includeErased: t.arg.boolean({ defaultValue: false }),
      },
      resolve: async (chat, args, ctx) =>
        toConnection(
          // The parent chat came from a read scoped to the caller: no second lookup per chat.
          await ctx.core.listMessagesOf(chat, {
            first: given(args.first),
            after: given(args.after),
            includeErased: args.includeErased ?? false,
          }),
        ),
    }),
  }),
});

const ChatConnection = builder.connectionObject({ type: ChatRef, name: 'ChatConnection' }, { name: 'ChatEdge' });

builder.queryFields((t) => ({
  chats: t.field({
    type: ChatConnection,
    description: "The caller's chats, most recent activity first.",
    args: { first: t.arg.int({ description: '1 to 100; default 20.' }), after: t.arg.string() },
    resolve: async (_root, args, ctx) =>
      toConnection(await ctx.core.listChats({ userId: ctx.caller.userId, first: given(args.first), after: given(args.after) })),
  }),
  chat: t.field({
    type: ChatRef,
    nullable: true,
    description: "One of the caller's chats; null when there is none with this id (or it is someone else's).",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => (await ctx.core.findChat(ctx.caller.userId, String(id))) ?? null,
  }),
}));

const CreateChatInput = builder.inputType('CreateChatInput', {
  fields: (t) => ({
    title: t.string({ description: 'Default: "New chat".' }),
    model: t.string({ description: 'One of `models` (or a dated snapshot of one); default: the configured model.' }),
    personaId: t.id({ description: 'One of `personas`; its system prompt starts the chat.' }),
    systemPrompt: t.string({ description: 'A system prompt of its own, instead of a persona.' }),
    config: t.field({ type: ChatConfigInput }),
  }),
});

const DeleteChatPayload = builder.objectRef<{ deletedChatId: string }>('DeleteChatPayload').implement({
  fields: (t) => ({ deletedChatId: t.exposeID('deletedChatId') }),
});

builder.mutationFields((t) => ({
  createChat: t.field({
    type: ChatRef,
    args: { input: t.arg({ type: CreateChatInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.core.createChat({
        userId: ctx.caller.userId,
        title: given(input.title),
        model: given(input.model),
        personaId: input.personaId == null ? undefined : String(input.personaId),
        systemPrompt: given(input.systemPrompt),
        config: toConfigPatch(input.config),
      }),
  }),
  renameChat: t.field({
    type: ChatRef,
    args: { id: t.arg.id({ required: true }), title: t.arg.string({ required: true }) },
    resolve: (_root, { id, title }, ctx) => ctx.core.renameChat(ctx.caller.userId, String(id), title),
  }),
  updateChatConfig: t.field({
    type: ChatRef,
    description:
      "Changes a chat's config for every later message (a sendMessage config applies to that message only), " +
      'e.g. { contextStrategy: SUMMARIZE }. Absent fields keep their value.',
    args: { id: t.arg.id({ required: true }), config: t.arg({ type: ChatConfigInput, required: true }) },
    resolve: (_root, { id, config }, ctx) => ctx.core.updateChatConfig(ctx.caller.userId, String(id), toConfigPatch(config) ?? {}),
  }),
  endChat: t.field({
    type: ChatRef,
    description: 'Ends a chat: it stays readable and accepts no new message. Ending twice is harmless.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.core.endChat(ctx.caller.userId, String(id)),
  }),
  deleteChat: t.field({
    type: DeleteChatPayload,
    description: 'Deletes a chat with all its messages. A reply in progress must be stopped first (CHAT_BUSY).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await ctx.core.deleteChat(ctx.caller.userId, String(id));
      return { deletedChatId: String(id) };
    },
  }),
}));
