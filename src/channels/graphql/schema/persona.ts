import type { Persona } from '../../../domain/persona.js';
import { builder } from '../builder.js';

export const PersonaRef = builder.objectRef<Persona>('Persona').implement({
  description: 'A ready-made system prompt a chat can start with.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    systemPrompt: t.exposeString('systemPrompt'),
  }),
});

builder.queryField('personas', (t) =>
  t.field({
    type: [PersonaRef],
    description: 'The personas a chat can be created with (createChat and sendMessage take their id).',
    resolve: (_root, _args, ctx) => ctx.core.listPersonas(),
  }),
);
