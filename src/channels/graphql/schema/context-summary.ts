import type { ContextSummary } from '../../../domain/context-summary.js';
import { builder } from '../builder.js';
import { TokenUsageRef } from './message.js';

export const ContextSummaryRef = builder.objectRef<ContextSummary>('ContextSummary').implement({
  description:
    'The running summary of the history a SUMMARIZE chat erased from its window. Sent after the system prompt ' +
    'as a delimited note, never as an instruction; the messages it covers stay stored and listable.',
  fields: (t) => ({
    content: t.exposeString('content'),
    coversThroughSeq: t.exposeInt('coversThroughSeq', { description: 'The last message position (seq) folded into it.' }),
    tokenCount: t.exposeInt('tokenCount', { description: "Tokens the note takes in each prompt, in the chat model's encoding." }),
    model: t.exposeString('model', { description: 'The model that wrote it (SUMMARY_MODEL, or the chat\'s model).' }),
    usage: t.field({
      type: TokenUsageRef,
      description: 'What the summary call that produced it used, and its cost at the prices in force.',
      resolve: (summary, _args, ctx) => ({
        ...summary.usage,
        estimated: summary.usageEstimated ?? null,
        costMicros: ctx.core.summaryCostMicros(summary),
      }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
