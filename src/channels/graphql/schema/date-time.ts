import { Kind } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { builder } from '../builder.js';

builder.scalarType('DateTime', {
  description: 'A point in time, as an ISO 8601 string in UTC (2024-05-01T12:00:00.000Z).',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw createGraphQLError('DateTime must be an ISO 8601 string');
    return parseDateTime(ast.value);
  },
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw createGraphQLError('DateTime must be an ISO 8601 string');
  return date;
}
