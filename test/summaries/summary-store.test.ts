import { describe, expect, it } from 'vitest';
import type { Chat } from '../../src/domain/chat.js';
import type { ContextSummary } from '../../src/domain/context-summary.js';
import type { Message } from '../../src/domain/message.js';
import { KnexChatRepository } from '../../src/infra/db/knex-chat-repository.js';
import { newMessage } from '../support/contracts/store-fixtures.js';
import { storeEngines, useStore } from '../support/stores.js';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 28) + ms);

const chat: Chat = {
  id: 'chat-1',
  userId: 'alice',
  title: 'A chat',
  status: 'ACTIVE',
  model: 'gpt-4o-mini',
  personaId: null,
  systemPrompt: 'You are helpful.',
  config: { temperature: 1, topP: 1, maxTokens: 256, stop: [], presencePenalty: 0, frequencyPenalty: 0, contextStrategy: 'SUMMARIZE' },
  createdAt: at(0),
  updatedAt: at(0),
};

const message = (seq: number, fields: Partial<Message> = {}): Message =>
  newMessage(chat, seq, { id: `m${seq}`, content: `text ${seq} 😀`, tokenCount: 10, createdAt: at(seq), ...fields });

const summary = (coversThroughSeq: number, content: string): ContextSummary => ({
  id: `s${coversThroughSeq}`,
  chatId: chat.id,
  coversThroughSeq,
  content,
  tokenCount: 42,
  model: 'gpt-4o-mini',
  usage: { promptTokens: 300, completionTokens: 40 },
  createdAt: at(1000 + coversThroughSeq),
});

describe.each(storeEngines())('summary storage on %s', (engine) => {
  const store = useStore(engine);
  const repository = () => store().repository;

  async function turn(seq: number, erased: readonly string[], fold?: ContextSummary) {
    await repository().recordTurn({
      chatId: chat.id,
      expectedLastSeq: seq - 1,
      userMessage: message(seq),
      assistantMessage: message(seq + 1, { status: 'STREAMING', content: '' }),
      lease: { owner: 'me', expiresAt: at(60_000) },
      erasedMessageIds: erased,
      summary: fold,
      at: at(seq),
    });
  }

  it('stores a fold with its turn, byte-exact, and the newest fold is the current summary', async () => {
    await repository().createChat(chat, message(0));
    await turn(1, []);
    await turn(3, ['m1', 'm2'], summary(2, 'First fold 😀'));
    await turn(5, ['m3', 'm4'], summary(4, 'Second fold'));

    expect(await repository().findContextSummary(chat.id)).toEqual(summary(4, 'Second fold'));
    expect((await store().knex('chat_summaries').where({ chat_id: chat.id })).map((r: { content: string }) => r.content).sort()).toEqual([
      'First fold 😀',
      'Second fold',
    ]);
    // Messages are not touched by folds: still stored, marked erased, listable.
    expect((await repository().listErasedMessages(chat.id, 2, 10)).map((m) => m.id)).toEqual(['m3', 'm4']);
    expect((await repository().listErasedMessages(chat.id, 0, 1)).map((m) => m.id)).toEqual(['m1']);
  });

  it('deletes a chat\'s summaries with the chat', async () => {
    await repository().createChat(chat, message(0));
    await turn(1, [], summary(0, 'Nothing yet'));
    await repository().deleteChat('alice', chat.id);
    expect(await repository().findContextSummary(chat.id)).toBeUndefined();
    expect(await store().knex('chat_summaries')).toEqual([]);
  });

  it('reads a chat stored without contextStrategy as the configured default', async () => {
    await repository().createChat(chat, message(0));
    const { contextStrategy: _dropped, ...oldConfig } = chat.config;
    await store().knex('chats').where({ id: chat.id }).update({ config: JSON.stringify(oldConfig) });

    expect((await repository().findChat('alice', chat.id))?.config.contextStrategy).toBe('TRUNCATE');
    const summarizing = await KnexChatRepository.create({ knex: store().knex, configDefaults: { contextStrategy: 'SUMMARIZE' } });
    expect((await summarizing.findChat('alice', chat.id))?.config).toEqual(chat.config);
  });
});
