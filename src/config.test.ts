import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('starts on SQLite, the default ports and the default model with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      httpPort: 8080,
      grpcPort: 50051,
      databaseUrl: './data/chatservice.db',
      bodyLimitBytes: 256 * 1024,
      chat: { model: 'gpt-4o-mini', temperature: 1, topP: 1, stop: [] },
    });
    expect(config.auth.serviceTokens).toEqual([]);
  });

  it('reads the original service .env keys', () => {
    const config = loadConfig({
      WEB_SERVER_PORT: '8081',
      GRPC_SERVER_PORT: '50052',
      AUTH_TOKEN: '123456789',
      OPENAI_API_KEY: 'sk-test',
      MODEL: 'gpt-3.5-turbo',
      MODEL_MAX_TOKENS: '4096',
      MAX_TOKENS: '300',
      TEMPERATURE: '0.1',
      TOP_P: '1',
      N: '1',
      STOP: 'step',
      INITIAL_CHAT_MESSAGE: 'You are a helpful assistant.',
      DB_DRIVER: 'mysql',
      DB_HOST: 'mysql',
      DB_PORT: '3306',
      DB_USER: 'root',
      DB_PASSWORD: 'p@ss:word',
      DB_NAME: 'chat_test',
    });
    expect(config).toMatchObject({
      httpPort: 8081,
      grpcPort: 50052,
      databaseUrl: 'mysql://root:p%40ss%3Aword@mysql:3306/chat_test',
      auth: { serviceTokens: ['123456789'] },
      openai: { apiKey: 'sk-test' },
      chat: { model: 'gpt-3.5-turbo', contextWindow: 4096, maxTokens: 300, temperature: 0.1, stop: ['step'] },
    });
  });

  it('lets the new keys win over the old ones', () => {
    const config = loadConfig({ HTTP_PORT: '9000', WEB_SERVER_PORT: '8081', DATABASE_URL: '/tmp/x.db', DB_DRIVER: 'mysql', DB_HOST: 'h', DB_NAME: 'n' });
    expect(config.httpPort).toBe(9000);
    expect(config.databaseUrl).toBe('/tmp/x.db');
  });

  it('merges AUTH_TOKEN and AUTH_TOKENS', () => {
    expect(loadConfig({ AUTH_TOKEN: 'aaaaaaaa1', AUTH_TOKENS: 'bbbbbbbb2, aaaaaaaa1 ,cccccccc3' }).auth.serviceTokens).toEqual([
      'aaaaaaaa1',
      'bbbbbbbb2',
      'cccccccc3',
    ]);
  });

  it.each([
    [{ HTTP_PORT: 'eighty' }, 'HTTP_PORT'],
    [{ TEMPERATURE: '3' }, 'TEMPERATURE'],
    [{ N: '2' }, 'N'],
    [{ OPENAI_BASE_URL: 'not a url' }, 'OPENAI_BASE_URL'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ DB_DRIVER: 'mysql' }, 'DB_DRIVER'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) }, 'TWILIO_'],
    [{ MODEL_MAX_TOKENS: '200', MAX_TOKENS: '200' }, 'MAX_TOKENS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CONTEXT_STRATEGY: 'FORGET' }, 'CONTEXT_STRATEGY'],
    [{ SUMMARY_MAX_TOKENS: '0' }, 'SUMMARY_MAX_TOKENS'],
    [{ SUMMARY_MODEL: 'bad model' }, 'SUMMARY_MODEL'],
    [{ MODEL_MAX_TOKENS: '500', SUMMARY_MAX_TOKENS: '300' }, 'SUMMARY_MAX_TOKENS'],
    [{ REPLY_LEASE_MS: '500' }, 'REPLY_LEASE_MS'],
    [{ REPLY_CHECKPOINT_MS: '10' }, 'REPLY_CHECKPOINT_MS'],
    [{ REPLY_LEASE_MS: '3000', REPLY_CHECKPOINT_MS: '1500' }, 'REPLY_CHECKPOINT_MS'],
    [{ STORE_TIMEOUT_MS: 'soon' }, 'STORE_TIMEOUT_MS'],
    [{ SHUTDOWN_GRACE_MS: '-1' }, 'SHUTDOWN_GRACE_MS'],
    [{ REDIS_URL: 'http://127.0.0.1:6379', DATABASE_URL: 'mysql://u:p@h:3306/d' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://127.0.0.1:6379/0' }, 'REDIS_URL'],
  ])('refuses %j with a message naming the key', (env, key) => {
    expect(problemsOf(env)).toContain(key);
  });

  it('holds replies with a 15 s lease and 1 s checkpoints, and shares them through Redis only when asked', () => {
    expect(loadConfig({})).toMatchObject({ replies: { leaseMs: 15_000, checkpointMs: 1_000, coalesceMs: 16 }, storeTimeoutMs: 2_000, shutdownGraceMs: 10_000 });
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/0', DATABASE_URL: 'mysql://u:p@h:3306/d' }).redisUrl).toBe('redis://127.0.0.1:6379/0');
  });

  it('merges deltas for REPLY_COALESCE_MS, 0 turning it off, at most a second', () => {
    expect(loadConfig({ REPLY_COALESCE_MS: '0' }).replies.coalesceMs).toBe(0);
    expect(loadConfig({ REPLY_COALESCE_MS: '40' }).replies.coalesceMs).toBe(40);
    expect(problemsOf({ REPLY_COALESCE_MS: '1001' })).toContain('REPLY_COALESCE_MS');
    expect(problemsOf({ REPLY_COALESCE_MS: '-1' })).toContain('REPLY_COALESCE_MS');
  });

  it('defaults to truncation with 512-token summaries by the chat\'s model', () => {
    const config = loadConfig({});
    expect(config.chat.contextStrategy).toBe('TRUNCATE');
    expect(config.summaries).toEqual({ model: undefined, maxTokens: 512, timeoutMs: 20_000 });
  });

  it('reads the summary settings', () => {
    const config = loadConfig({ CONTEXT_STRATEGY: 'summarize', SUMMARY_MODEL: 'gpt-4o-mini', SUMMARY_MAX_TOKENS: '256' });
    expect(config.chat.contextStrategy).toBe('SUMMARIZE');
    expect(config.summaries).toMatchObject({ model: 'gpt-4o-mini', maxTokens: 256 });
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ HTTP_PORT: '-1', TOP_P: '2' });
    expect(problems).toContain('HTTP_PORT');
    expect(problems).toContain('TOP_P');
  });
});
