import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config.js';
import { ModelCatalog } from './domain/models.js';
import { createKnex } from './infra/db/create-knex.js';
import { StoreSchemaError } from './infra/db/go-service-schema.js';
import { describePlan, migrateToLatest, planMigration } from './infra/db/migrate.js';
import { createLogger } from './infra/logging/logger.js';

/**
 * `npm run migrate`: applies pending migrations to the configured store (and
 * adopts the original Go service's tables) and exits.
 * `npm run migrate -- --dry-run` prints what it would do and changes nothing.
 */
loadDotenv({ quiet: true });
try {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
  const config = loadConfig(process.env);
  const knex = createKnex(config.databaseUrl);
  try {
    if (values['dry-run']) {
      process.stdout.write(describePlan(await planMigration(knex)));
    } else {
      const applied = await migrateToLatest(knex, {
        logger: createLogger({ level: config.logLevel }),
        models: new ModelCatalog({ contextWindowOverride: config.chat.contextWindow, unknownModelWindow: config.chat.unknownModelWindow }),
        systemPrompt: config.chat.systemPrompt,
      });
      process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'Already up to date\n');
    }
  } finally {
    await knex.destroy();
  }
} catch (error) {
  const known = error instanceof ConfigError || error instanceof StoreSchemaError;
  process.stderr.write(`${known ? error.message : String(error)}\n`);
  process.exit(1);
}
