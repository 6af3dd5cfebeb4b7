import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { oneReplyPerOperation } from './one-reply-per-operation.js';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Reply { text: String }
  type Mutation { sendMessage(content: String): Reply, createChat: Boolean }
  type Subscription { sendMessage(content: String): Reply }
`);
const errorsOf = (source: string) => validate(schema, parse(source), [oneReplyPerOperation]).map((error) => error.message);

describe('oneReplyPerOperation', () => {
  it('admits one reply next to other fields', () => {
    expect(errorsOf('mutation { sendMessage(content: "a") { text } createChat }')).toEqual([]);
  });

  it('admits the same field selected twice under one response key: GraphQL runs it once', () => {
    expect(errorsOf('mutation { sendMessage(content: "a") { text } ...F } fragment F on Mutation { sendMessage(content: "a") { text } }')).toEqual([]);
  });

  it.each([
    ['aliases', 'mutation { a: sendMessage(content: "a") { text } b: sendMessage(content: "b") { text } }'],
    ['an inline fragment', 'mutation { sendMessage(content: "a") { text } ... on Mutation { b: sendMessage(content: "b") { text } } }'],
    ['a named fragment', 'mutation { sendMessage(content: "a") { text } ...F } fragment F on Mutation { b: sendMessage(content: "b") { text } }'],
  ])('refuses two replies through %s', (_name, source) => {
    expect(errorsOf(source)).toEqual(['One operation may start at most one reply; this one starts 2.']);
  });

  it('counts each operation of a document on its own', () => {
    expect(errorsOf('mutation A { sendMessage(content: "a") { text } } mutation B { sendMessage(content: "b") { text } }')).toEqual([]);
  });

  it('ignores fields of the same name on other types', () => {
    expect(errorsOf('{ ok }')).toEqual([]);
  });
});
