import { builder } from '../builder.js';
import { MessageRoleEnum } from './message.js';

const MessageInput = builder.inputType('MessageInput', {
  fields: (t) => ({
    role: t.field({ type: MessageRoleEnum, required: true }),
    content: t.string({ required: true }),
    name: t.string(),
  }),
});

builder.queryField('tokenCount', (t) =>
  t.int({
    description:
      "The exact prompt token count of these messages for the model's encoding, as the API reports it in " +
      'usage.prompt_tokens (chat format: 3 tokens per message, 1 per name, 3 to prime the reply).',
    args: {
      model: t.arg.string({ required: true }),
      messages: t.arg({ type: [MessageInput], required: true }),
    },
    resolve: (_root, { model, messages }, ctx) =>
      ctx.core.countTokens({
        model,
        messages: messages.map((m) => ({ role: m.role, content: m.content, name: m.name ?? undefined })),
      }),
  }),
);
