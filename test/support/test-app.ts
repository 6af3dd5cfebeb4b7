import { afterAll, afterEach, beforeAll } from 'vitest';
import { buildApp, type App, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logging/logger.js';
import { FakeOpenAI } from './fake-openai.js';
import { openStore, type StoreEngine, type TestStore } from './stores.js';

export const SERVICE_TOKEN = 'test-service-token';

export interface TestAppOptions {
  /** Extra environment, as the service would read it (e.g. MODEL_MAX_TOKENS). */
  readonly env?: Record<string, string>;
  /** Talk to this fake upstream; default: a new FakeOpenAI. `false`: the offline stand-in. */
  readonly openai?: FakeOpenAI | false;
  readonly overrides?: AppOverrides;
  /** Run on this store (another process of the same deployment); it stays open when the app stops. Default: a fresh store. */
  readonly store?: TestStore;
}

export interface TestApp {
  readonly app: App;
  readonly store: TestStore;
  /** Undefined when the app runs on the offline stand-in. */
  readonly openai: FakeOpenAI | undefined;
  readonly httpUrl: string;
  /** The bound gRPC port, on 127.0.0.1. */
  readonly grpcPort: number;
  /** POSTs JSON with the service token unless `headers.authorization` says otherwise. */
  postJson(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** Builds and starts the real app on a fresh store of `engine`, ports 0, logs silent. */
export async function startTestApp(engine: StoreEngine, options: TestAppOptions = {}): Promise<TestApp> {
  const store = options.store ?? (await openStore(engine, { migrate: false }));
  const openai = options.openai === false ? undefined : (options.openai ?? (await FakeOpenAI.start()));
  const config = loadConfig({
    HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    AUTH_TOKEN: SERVICE_TOKEN,
    // Tests that count deltas see each one as the upstream sent it; merging has its own tests.
    REPLY_COALESCE_MS: '0',
    DATABASE_URL: store.databaseUrl,
    ...(openai ? { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test', OPENAI_MAX_RETRIES: '0' } : {}),
    ...options.env,
  });
  const app = await buildApp(config, { logger: createLogger({ level: 'silent' }), shutdownGraceMs: 0, ...options.overrides });
  const { httpUrl, grpcPort } = await app.start();
  return {
    app,
    store,
    openai,
    httpUrl,
    grpcPort,
    async postJson(path, body, headers = {}) {
      const response = await fetch(`${httpUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    async stop() {
      await app.stop();
      if (options.openai === undefined) await openai?.close();
      if (options.store === undefined) await store.close();
    },
  };
}

/** One app per suite; the store is emptied and the fake's queue reset between tests. */
export function useTestApp(engine: StoreEngine, options: TestAppOptions = {}): () => TestApp {
  let testApp: TestApp | undefined;
  beforeAll(async () => {
    testApp = await startTestApp(engine, options);
  });
  afterEach(async () => {
    await testApp?.store.truncate();
  });
  afterAll(async () => {
    await testApp?.stop();
  });
  return () => {
    if (!testApp) throw new Error('the test app is not started');
    return testApp;
  };
}
