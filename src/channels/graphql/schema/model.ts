import type { ModelSpec } from '../../../domain/models.js';
import { builder } from '../builder.js';

export const TokenEncodingEnum = builder.enumType('TokenEncoding', {
  description: "The model's tokenizer.",
  values: { CL100K_BASE: { value: 'cl100k_base' }, O200K_BASE: { value: 'o200k_base' } } as const,
});

export const ModelRef = builder.objectRef<ModelSpec>('Model').implement({
  description: 'A model a chat can use, with the limits its token budget follows.',
  fields: (t) => ({
    name: t.exposeString('name'),
    contextWindow: t.exposeInt('contextWindow', { description: 'Prompt plus reply, in tokens.' }),
    maxOutputTokens: t.exposeInt('maxOutputTokens', { description: 'The largest reply budget (config.maxTokens).' }),
    encoding: t.expose('encoding', { type: TokenEncodingEnum }),
    reasoning: t.exposeBoolean('reasoning', {
      description: 'Reasoning models ignore temperature, topP and the penalties.',
    }),
  }),
});

builder.queryField('models', (t) =>
  t.field({
    type: [ModelRef],
    description: 'The model families a chat can be created with; dated snapshots of them are accepted too.',
    resolve: (_root, _args, ctx) => ctx.core.listModels(),
  }),
);
