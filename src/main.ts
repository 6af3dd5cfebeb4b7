import { randomBytes } from 'node:crypto';
import { config as loadDotenv } from 'dotenv';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, serviceTokenWarnings, type Config } from './config.js';
import { StoreSchemaError } from './infra/db/go-service-schema.js';

loadDotenv({ quiet: true });

let config: Config;
try {
  config = withServiceTokenWhenOpen(loadConfig(process.env));
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}

const app = await buildApp(config);
for (const warning of serviceTokenWarnings(config)) {
  process.stderr.write(`\n${'!'.repeat(78)}\n!! WARNING: ${warning}\n${'!'.repeat(78)}\n\n`);
  app.logger.warn({}, warning);
}
try {
  await app.start();
} catch (error) {
  // A store we cannot migrate is the operator's to fix: say what and how, without a stack trace.
  if (!(error instanceof StoreSchemaError)) throw error;
  app.logger.fatal({}, error.message);
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

/** The service never runs open: with no credentials configured it makes a token and prints it once. */
function withServiceTokenWhenOpen(config: Config): Config {
  if (config.auth.serviceTokens.length > 0 || config.auth.jwt) return config;
  const token = randomBytes(24).toString('base64url');
  process.stderr.write(
    `\nNo AUTH_TOKEN, AUTH_TOKENS or JWT_* is set, so this run uses a generated service token:\n\n    ${token}\n\n` +
      `Send it as "authorization: Bearer ${token}". Set AUTH_TOKEN to keep one across restarts.\n\n`,
  );
  return { ...config, auth: { ...config.auth, serviceTokens: [token] } };
}
