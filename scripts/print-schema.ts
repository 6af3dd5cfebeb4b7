/**
 * Prints the GraphQL schema built in code to schema/schema.graphql.
 * `--check` writes nothing and fails when the committed file differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/channels/graphql/schema/index.js';

const target = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
const printed = `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // A missing file is out of date too.
  }
  if (committed !== printed) {
    console.error('schema/schema.graphql is out of date with the schema in src/channels/graphql: run `npm run schema`.');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date.');
} else {
  writeFileSync(target, printed);
  console.log('wrote schema/schema.graphql');
}
