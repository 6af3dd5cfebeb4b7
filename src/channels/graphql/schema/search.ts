import type { TextRange } from '../../../domain/search-snippet.js';
import type { SearchHit } from '../../../use-cases/search-messages.js';
import { builder } from '../builder.js';
import { given, toConnection } from '../connections.js';
import { ChatRef } from './chat.js';
import { MessageRef } from './message.js';

const TextRangeRef = builder.objectRef<TextRange>('TextRange').implement({
  description: 'A span of a text, in UTF-16 code units (as JavaScript strings count).',
  fields: (t) => ({
    start: t.exposeInt('start'),
    length: t.exposeInt('length'),
  }),
});

const SearchHitRef = builder.objectRef<SearchHit>('SearchHit').implement({
  description: 'A message that matched a search, with its chat and the part of its text around the match.',
  fields: (t) => ({
    chat: t.field({ type: ChatRef, resolve: (hit) => hit.chat }),
    message: t.field({ type: MessageRef, resolve: (hit) => hit.message }),
    snippet: t.string({
      description: 'Plain text (never HTML): the message around its first match, whitespace collapsed, "…" where cut.',
      resolve: (hit) => hit.snippet.text,
    }),
    highlights: t.field({
      type: [TextRangeRef],
      description: 'The words of the snippet that matched.',
      resolve: (hit) => hit.snippet.highlights,
    }),
  }),
});

const SearchConnection = builder.connectionObject({ type: SearchHitRef, name: 'SearchConnection' }, { name: 'SearchEdge' });

builder.queryField('search', (t) =>
  t.field({
    type: SearchConnection,
    description:
      "Full-text search over the caller's messages (their own and the replies, erased ones included; not system " +
      'prompts or replies still streaming), newest first. A hit contains every word of the query as the start ' +
      'of a word, ignoring case and accents ("stream" finds "Streaming"). Punctuation and operators are ' +
      'separators, not syntax. At most 200 characters and 8 words (INVALID_INPUT otherwise).',
    args: {
      query: t.arg.string({ required: true }),
      first: t.arg.int({ description: '1 to 100; default 20.' }),
      after: t.arg.string(),
    },
    resolve: async (_root, args, ctx) =>
      toConnection(
        await ctx.core.searchMessages({ userId: ctx.caller.userId, query: args.query, first: given(args.first), after: given(args.after) }),
      ),
  }),
);
