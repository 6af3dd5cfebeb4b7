import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { FakeOpenAI } from '../support/fake-openai.js';
import { openStore, storeEngines, type TestStore } from '../support/stores.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { auth, v1Client } from '../grpc/support/grpc-clients.js';
import { ReplyReader } from '../support/reply-reader.js';

/**
 * Replies against real processes: the service is started as a child process,
 * killed with SIGKILL mid-reply, restarted, and run twice on one database.
 */

const CHECKPOINT_MS = 200;
const LEASE_MS = 1_000;
/** 400 words of 6 characters, one every 10 ms: a reply of about 4 s. */
const WORDS = Array.from({ length: 400 }, (_, i) => `w${String(i).padStart(3, '0')}, `);
const LONG_TEXT = WORDS.join('');

describe.each(storeEngines())('durable replies across processes on %s', (engine) => {
  let openai: FakeOpenAI;
  let store: TestStore;
  const running: ServiceProcess[] = [];

  beforeAll(async () => {
    openai = await FakeOpenAI.start({ reply: { deltas: WORDS, chunkDelayMs: 10 } });
  });
  afterAll(async () => {
    for (const service of running) await service.kill();
    await openai.close();
  });

  async function start(): Promise<ServiceProcess> {
    const service = await startServiceProcess({
      DATABASE_URL: store.databaseUrl,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_MAX_RETRIES: '0',
      REPLY_CHECKPOINT_MS: String(CHECKPOINT_MS),
      REPLY_LEASE_MS: String(LEASE_MS),
    });
    running.push(service);
    return service;
  }

  async function storedReply(messageId: string) {
    return store.knex('messages').where({ id: messageId }).first('status', 'content', 'finish_reason');
  }

  it('keeps a non-empty prefix of the delivered text after SIGKILL mid-reply, and the chat goes on after a restart', async () => {
    store = await openStore(engine, { migrate: false });
    try {
      const first = await start();
      const client = v1Client(first.grpcPort);
      const reader = new ReplyReader(client.SendMessage({ user_id: 'alice', content: 'Tell me a long story' }, auth()));
      // Over a second of streaming: several checkpoints were written.
      await reader.until(700);
      await first.kill();
      const delivered = reader.now.text;
      client.close();

      const second = await start();
      const recovered = await eventually(async () => {
        const row = await storedReply(reader.now.messageId);
        expect(row.status).toBe('INCOMPLETE');
        return row as { content: string; finish_reason: string };
      }, 10_000);
      expect(recovered.content.length).toBeGreaterThan(0);
      expect(delivered.startsWith(recovered.content)).toBe(true);
      // At most one checkpoint interval (plus the kill itself) is missing: ~20 words at 10 ms each, with slack.
      expect(delivered.length - recovered.content.length).toBeLessThan(60 * 7);
      expect(recovered.finish_reason).toBe('interrupted');

      openai.reply({ text: 'We carry on.' });
      const next = v1Client(second.grpcPort);
      const turn = new ReplyReader(next.SendMessage({ user_id: 'alice', chat_id: reader.now.chatId, content: 'Go on' }, auth()));
      const { seen, error } = await turn.done;
      next.close();
      expect(error).toBeUndefined();
      expect(seen.text).toBe('We carry on.');
      const prompt = openai.requests.at(-1)!.body.messages.map((m) => m.content);
      expect(prompt).toContain(recovered.content);
    } finally {
      for (const service of running.splice(0)) await service.kill();
      await store.close();
    }
  }, 60_000);

  it('lets a second process start beside a running one without touching its reply, refuse that chat as busy, and follow it', async () => {
    store = await openStore(engine, { migrate: false });
    try {
      const first = await start();
      // Slow enough (12 s) to still run while the second process starts.
      openai.reply({ deltas: WORDS, chunkDelayMs: 30 });
      const firstClient = v1Client(first.grpcPort);
      const reader = new ReplyReader(firstClient.SendMessage({ user_id: 'alice', content: 'A long one' }, auth()));
      await reader.until(60);

      const second = await start();
      const secondClient = v1Client(second.grpcPort);
      expect((await storedReply(reader.now.messageId)).status).toBe('STREAMING');

      const busy = await new ReplyReader(
        secondClient.SendMessage({ user_id: 'alice', chat_id: reader.now.chatId, content: 'Me too' }, auth()),
      ).done;
      expect(busy.error?.code).toBe(status.ABORTED);
      expect(busy.error?.metadata.get('chatservice-error-code')).toEqual(['CHAT_BUSY']);

      // The second process follows the first one's reply from its checkpoints, from a cursor.
      const resumeAt = reader.now.lastCursor!;
      const shownBefore = reader.now.text;
      const watcher = new ReplyReader(
        secondClient.WatchReply({ user_id: 'alice', message_id: reader.now.messageId, after: resumeAt }, auth()),
      );

      const { seen, error } = await reader.done;
      expect(error).toBeUndefined();
      expect(seen.text).toBe(LONG_TEXT);
      expect(seen.ending?.completed?.message).toMatchObject({ status: 'MESSAGE_STATUS_COMPLETE', content: LONG_TEXT });
      expect(await storedReply(seen.messageId)).toMatchObject({ status: 'COMPLETE', content: LONG_TEXT });

      const watched = await watcher.done;
      expect(watched.error).toBeUndefined();
      expect(shownBefore + watched.seen.text).toBe(LONG_TEXT);
      expect(watched.seen.ending?.completed?.message?.status).toBe('MESSAGE_STATUS_COMPLETE');
      firstClient.close();
      secondClient.close();
    } finally {
      for (const service of running.splice(0)) await service.kill();
      await store.close();
    }
  }, 60_000);
});
