import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logging/logger.js';
import type { ReplyEvent } from '../../src/use-cases/chat-events.js';
import { statementsDuring } from '../support/statements.js';
import { storeEngines } from '../support/stores.js';
import { SERVICE_TOKEN, useTestApp } from '../support/test-app.js';

async function drain(events: AsyncIterable<ReplyEvent>): Promise<void> {
  for await (const event of events) if (event.type === 'failed') throw new Error(`reply failed: ${event.code}`);
}

/** Adds `pairs` user/assistant exchanges to the chat straight in the store, as earlier turns would have. */
async function growChat(knex: Knex, chatId: string, pairs: number): Promise<void> {
  const rows = await knex('messages').where({ chat_id: chatId }).orderBy('seq', 'asc');
  const [, user, assistant] = rows;
  let seq = Number(rows.at(-1).seq);
  const added = [];
  for (let i = 0; i < pairs; i++) {
    added.push({ ...user, id: randomUUID(), seq: ++seq, content: `question ${i}` });
    added.push({ ...assistant, id: randomUUID(), seq: ++seq, content: `answer ${i}` });
  }
  for (let i = 0; i < added.length; i += 200) await knex('messages').insert(added.slice(i, i + 200));
  await knex('chats').where({ id: chatId }).update({ last_seq: seq });
}

/** "verb table" of a statement, e.g. "update chats". */
function kindOf(sql: string): string {
  const text = sql.trim();
  const verb = text.split(/\s/, 1)[0]!.toLowerCase();
  const table = /\b(?:from|into|update)\s+[`"]?(\w+)/i.exec(text)?.[1];
  return `${verb} ${table}`;
}

const readsOfHistory = (statements: readonly string[]) =>
  statements.filter((sql) => /^select/i.test(sql.trim()) && /from [`"]?messages[`"]?/i.test(sql));

describe.each(storeEngines())('the statements of a turn on %s', (engine) => {
  const t = useTestApp(engine);

  it('reads the chat once and not its history again when this process wrote it last', async () => {
    const first = await t().app.core.sendMessage({ userId: 'alice', content: 'Hello' });
    await drain(first);
    const statements = await statementsDuring(t().app.knex, async () => {
      await drain(await t().app.core.sendMessage({ userId: 'alice', chatId: first.chat.id, content: 'Again' }));
    });
    expect(readsOfHistory(statements)).toEqual([]);
    // Read the chat; store the turn with its usage claim (one transaction); store the ending with its
    // ledger row (another). The per-user limits are cached; nothing reads the history.
    expect(statements.filter((sql) => !/^(begin|commit|start transaction)/i.test(sql.trim())).map(kindOf)).toEqual([
      'select chats',
      'update chats',
      'insert messages',
      'insert usage_reservations',
      'update messages',
      'insert usage_budgets', // an upsert of the user's counters
      'insert usage_ledger',
    ]);
  });

  it('costs a 1,000-message chat the statements a 10-message chat costs', async () => {
    const turnStatements = async (pairs: number) => {
      const opening = await t().app.core.sendMessage({ userId: 'alice', content: 'Start' });
      await drain(opening);
      await growChat(t().app.knex, opening.chat.id, pairs);
      // The first turn after the growth reads the history (the chat moved on outside this process)...
      const reload = await statementsDuring(t().app.knex, async () => {
        await drain(await t().app.core.sendMessage({ userId: 'alice', chatId: opening.chat.id, content: 'one' }));
      });
      expect(readsOfHistory(reload)).toHaveLength(1);
      // ...and the next ones do not.
      return statementsDuring(t().app.knex, async () => {
        await drain(await t().app.core.sendMessage({ userId: 'alice', chatId: opening.chat.id, content: 'two' }));
      });
    };
    const short = await turnStatements(4);
    const long = await turnStatements(500);
    expect(long).toEqual(short);
  });

  it('sees a turn another process stored in the chat meanwhile', async () => {
    const opening = await t().app.core.sendMessage({ userId: 'alice', content: 'Remember the number 17' });
    await drain(opening);
    const other = await buildApp(
      loadConfig({
        HOST: '127.0.0.1',
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
        AUTH_TOKEN: SERVICE_TOKEN,
        DATABASE_URL: t().store.databaseUrl,
        OPENAI_BASE_URL: t().openai!.url,
        OPENAI_API_KEY: 'sk-test',
      }),
      { logger: createLogger({ level: 'silent' }), shutdownGraceMs: 0 },
    );
    try {
      await drain(await other.core.sendMessage({ userId: 'alice', chatId: opening.chat.id, content: 'Now add 4' }));
    } finally {
      await other.stop();
    }
    const before = t().openai!.requests.length;
    await drain(await t().app.core.sendMessage({ userId: 'alice', chatId: opening.chat.id, content: 'What is it now?' }));
    const sent = t().openai!.requests[before]!.body.messages.map((m) => m.content);
    expect(sent.slice(1)).toEqual(['Remember the number 17', expect.any(String), 'Now add 4', expect.any(String), 'What is it now?']);
  });

  it('sends the previous reply as the store holds it after it ended, not as it started', async () => {
    const opening = await t().app.core.sendMessage({ userId: 'alice', content: 'Hello' });
    await drain(opening);
    const reply = await t().store.repository.findMessage(opening.assistantMessage.id);
    expect(reply?.status).toBe('COMPLETE');
    const before = t().openai!.requests.length;
    await drain(await t().app.core.sendMessage({ userId: 'alice', chatId: opening.chat.id, content: 'Next' }));
    const sent = t().openai!.requests[before]!.body.messages.map((m) => m.content);
    expect(sent.slice(1)).toEqual(['Hello', reply!.content, 'Next']);
  });
});
