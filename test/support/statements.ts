import type { Knex } from 'knex';

/** The SQL of every statement `knex` reports (its 'query' event) while `run` runs, in order. */
export async function statementsDuring(knex: Knex, run: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const record = (query: { sql: string }) => statements.push(query.sql);
  knex.on('query', record);
  try {
    await run();
  } finally {
    knex.off('query', record);
  }
  return statements;
}
