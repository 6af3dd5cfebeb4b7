import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { StoreSchemaError } from '../../src/infra/db/go-service-schema.js';
import { describePlan, planMigration } from '../../src/infra/db/migrate.js';
import { createLogger } from '../../src/infra/logging/logger.js';
import { TiktokenCounter } from '../../src/infra/tokenizer/tiktoken-counter.js';
import { messageTokens } from '../../src/domain/token-rules.js';
import { auth, collect, legacyClient } from '../grpc/support/grpc-clients.js';
import { FakeOpenAI } from '../support/fake-openai.js';
import { openStore, storeEngines, type TestStore } from '../support/stores.js';
import { startTestApp } from '../support/test-app.js';
import {
  createGoServiceDatabase,
  EMOJI_TEXT,
  GO_CHAT_ID,
  GO_ENDED_CHAT_ID,
  GO_HISTORY,
  GO_SYSTEM_PROMPT,
  GO_USER,
  rowCount,
} from './go-service-fixture.js';
import { storedMessages } from '../support/stored-messages.js';

describe.each(storeEngines())("switching over from the Go service's database on %s", (engine) => {
  let goStore: TestStore;
  let openai: FakeOpenAI;
  const logs: { msg: string; [key: string]: unknown }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const start = () =>
    startTestApp(engine, { openai, env: { DATABASE_URL: goStore.databaseUrl, MODEL: 'gpt-3.5-turbo', MODEL_MAX_TOKENS: '4096' }, overrides: { logger } });

  beforeAll(async () => {
    goStore = await openStore(engine, { migrate: false });
    await createGoServiceDatabase(goStore.knex);
    openai = await FakeOpenAI.start();
  });
  afterAll(async () => {
    await openai.close();
    await goStore.close();
  });

  it('prints the plan on a dry run and changes nothing', async () => {
    const plan = await planMigration(goStore.knex);
    expect(plan).toMatchObject({ goTables: 'rename-and-adopt', adoption: { chats: 2, messages: 8, erased: 2 } });
    expect(describePlan(plan)).toMatch(/chats -> go_chats, messages -> go_messages[\s\S]*Copy 2 chat\(s\) and 8 message\(s\) \(2 erased\)/);
    // The CLI behind `npm run migrate -- --dry-run` prints the same plan.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/migrate.ts', '--dry-run'], {
      env: { PATH: process.env.PATH, DATABASE_URL: goStore.databaseUrl },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe(describePlan(plan));
    expect(await goStore.knex.schema.hasTable('go_chats')).toBe(false);
    expect(await goStore.knex.schema.hasTable('knex_migrations')).toBe(false);
  });

  it('starts on it, keeps the old tables, and adopts every chat with its order, erased flags, settings and exact token counts', async () => {
    const app = await start();
    try {
      expect(await rowCount(goStore.knex, 'go_chats')).toBe(2);
      expect(await rowCount(goStore.knex, 'go_messages')).toBe(8);
      expect(logs.find((l) => l.msg.includes("adopted the Go service's chats"))).toMatchObject({ chats: 2, messages: 8, erased: 2 });
      // Go stored content-only counts: every one is recounted, and the log says so.
      expect(logs.find((l) => l.msg.includes('token counts recomputed with the exact tokenizer'))).toMatchObject({ recounted: 8, of: 8 });

      const chats = (await app.app.core.listChats({ userId: GO_USER })).items;
      expect(chats.map((c) => [c.id, c.status, c.model])).toEqual(
        expect.arrayContaining([
          [GO_CHAT_ID, 'ACTIVE', 'gpt-3.5-turbo'],
          [GO_ENDED_CHAT_ID, 'ENDED', 'gpt-3.5-turbo'],
        ]),
      );
      const chat = chats.find((c) => c.id === GO_CHAT_ID)!;
      expect(chat).toMatchObject({
        systemPrompt: GO_SYSTEM_PROMPT,
        title: 'My name is Ana.',
        config: { temperature: 0.1, topP: 1, maxTokens: 300, stop: ['\\super-end\\'], presencePenalty: 0, frequencyPenalty: 0 },
      });
      const messages = (await storedMessages(app.app.core, { userId: GO_USER, chatId: GO_CHAT_ID, includeErased: true })).items;
      expect(messages.map((m) => [m.role, m.content, m.erased])).toEqual(GO_HISTORY);
      expect(messages.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4]);
      expect(messages.map((m) => m.id)).toEqual(['go-msg-system', 'go-msg-1', 'go-msg-2', 'go-msg-3', 'go-msg-4']);
      const tokens = new TiktokenCounter();
      for (const m of messages) {
        expect(m.tokenCount).toBe(messageTokens(m, (text) => tokens.count(text, 'cl100k_base')));
        expect(m.status).toBe('COMPLETE');
      }
      expect(Buffer.from(messages[3]!.content).toString('hex')).toBe(Buffer.from(`I like emoji: ${EMOJI_TEXT}`).toString('hex'));
      // Another user's view: the chat is not theirs.
      expect((await app.app.core.listChats({ userId: 'someone-else' })).items).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('continues an old chat over POST /chat with its kept history in the prompt', async () => {
    const app = await start();
    try {
      openai.reply({ text: 'You told me you like emoji.' });
      const before = openai.requests.length;
      const response = await app.postJson('/chat', { chat_id: GO_CHAT_ID, user_id: GO_USER, user_message: 'What do I like?' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ chat_id: GO_CHAT_ID, content: 'You told me you like emoji.', status: 'COMPLETE' });
      expect(openai.requests[before]!.body).toMatchObject({
        model: 'gpt-3.5-turbo',
        stop: ['\\super-end\\'],
        max_tokens: 300,
        messages: [
          { role: 'system', content: GO_SYSTEM_PROMPT },
          { role: 'user', content: `I like emoji: ${EMOJI_TEXT}` },
          { role: 'assistant', content: `Me too! ${EMOJI_TEXT}` },
          { role: 'user', content: 'What do I like?' },
        ],
      });
    } finally {
      await app.stop();
    }
  });

  it('continues an old chat over gRPC ChatStream with its history, and refuses the ended one', async () => {
    const app = await start();
    const client = legacyClient(app.grpcPort);
    try {
      openai.reply({ deltas: ['Still ', 'here.'] });
      const before = openai.requests.length;
      const result = await collect(client.ChatStream({ chat_id: GO_CHAT_ID, user_id: GO_USER, user_message: 'Are you there?' }, auth()));
      expect(result.error).toBeUndefined();
      expect(result.messages.at(-1)).toMatchObject({ chat_id: GO_CHAT_ID, user_id: GO_USER, content: 'Still here.' });
      const sent = openai.requests[before]!.body.messages.map((m) => m.content);
      expect(sent[0]).toBe(GO_SYSTEM_PROMPT);
      expect(sent).toContain('What do I like?');
      expect(sent).not.toContain('My name is Ana.');
      expect(sent.at(-1)).toBe('Are you there?');

      const ended = await collect(client.ChatStream({ chat_id: GO_ENDED_CHAT_ID, user_id: GO_USER, user_message: 'Hello?' }, auth()));
      expect(ended.error?.details).toMatch(/ended/i);
    } finally {
      client.close();
      await app.stop();
    }
  });

  it('changes nothing on later starts, even for an adopted chat deleted since', async () => {
    const first = await start();
    await first.app.core.deleteChat(GO_USER, GO_ENDED_CHAT_ID);
    const snapshot = async (knex: TestStore['knex']) => ({
      chats: await knex('chats').orderBy('id').select('id', 'updated_at', 'last_seq'),
      messages: await knex('messages').orderBy('id').select('id', 'seq', 'token_count', 'erased'),
      goChats: await rowCount(knex, 'go_chats'),
      goMessages: await rowCount(knex, 'go_messages'),
      adoptions: await rowCount(knex, 'go_service_adoption'),
    });
    const before = await snapshot(goStore.knex);
    await first.stop();

    const second = await start();
    try {
      expect(await snapshot(goStore.knex)).toEqual(before);
      expect(before).toMatchObject({ goChats: 2, goMessages: 8, adoptions: 1 });
      expect(before.chats.map((c) => c.id)).not.toContain(GO_ENDED_CHAT_ID);
      expect((await planMigration(goStore.knex)).goTables).toBe('already-adopted');
    } finally {
      await second.stop();
    }
  });
});

describe.each(storeEngines())('a foreign table in the way on %s', (engine) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openStore(engine, { migrate: false });
  });
  afterAll(async () => {
    await store.close();
  });

  it('stops the start with a message that names the table and what to do, and touches nothing', async () => {
    await store.knex.schema.createTable('chats', (table) => {
      table.increments('id');
      table.string('topic');
    });
    const config = loadConfig({ DATABASE_URL: store.databaseUrl, HOST: '127.0.0.1', HTTP_PORT: '0', GRPC_PORT: '0', AUTH_TOKEN: 'a-long-enough-token' });
    const app = await buildApp(config, { logger: createLogger({ level: 'silent' }) });
    try {
      const error = await app.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreSchemaError);
      expect((error as Error).message).toMatch(/Table "chats" already exists.*(id, topic|topic, id).*empty database/);
      await expect(planMigration(store.knex)).rejects.toThrow(StoreSchemaError);
      expect(await store.knex.schema.hasTable('go_chats')).toBe(false);
      expect(await store.knex.schema.hasTable('messages')).toBe(false);
    } finally {
      await app.stop();
    }
  });
});
