import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config.js';
import { createKnex } from './infra/db/create-knex.js';
import { migrateToLatest } from './infra/db/migrate.js';

/** `npm run migrate`: applies pending migrations to the configured store and exits. */
loadDotenv({ quiet: true });
try {
  const config = loadConfig(process.env);
  const knex = createKnex(config.databaseUrl);
  try {
    const applied = await migrateToLatest(knex);
    process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'Already up to date\n');
  } finally {
    await knex.destroy();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
