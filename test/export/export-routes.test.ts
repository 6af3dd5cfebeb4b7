import { describe, expect, it } from 'vitest';
import { CreateChatDocument, SendMessageDocument } from '../graphql/generated/graphql.js';
import { data } from '../graphql/graphql-clients.js';
import { storeEngines } from '../support/stores.js';
import { SERVICE_TOKEN, useTestApp, type TestApp } from '../support/test-app.js';

async function get(app: TestApp, path: string, headers: Record<string, string> = { authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'alice' }) {
  const response = await fetch(`${app.httpUrl}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function turn(app: TestApp, content: string, chatId?: string, userId = 'alice') {
  app.openai!.reply({ text: `Answer to ${content}` });
  return (await data(app, SendMessageDocument, { input: { content, chatId } }, { userId })).sendMessage;
}

describe.each(storeEngines())('exports on %s', (engine) => {
  // A tiny window, so that turns erase older messages: exports keep them.
  const app = useTestApp(engine, { env: { MODEL_MAX_TOKENS: '64', MAX_TOKENS: '16' } });

  it('exports one chat as JSON, erased messages included, as an attachment', async () => {
    const first = await turn(app(), 'first question with several words');
    await turn(app(), 'second question with several words', first.chat.id);
    await turn(app(), 'third question with several words', first.chat.id);
    const response = await get(app(), `/export/chats/${first.chat.id}.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="first-question-with-several-words-${first.chat.id}.json"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = JSON.parse(response.text);
    expect(body.chat).toMatchObject({ id: first.chat.id, title: 'first question with several words', status: 'ACTIVE', model: first.chat.model });
    expect(body.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['SYSTEM', first.chat.systemPrompt],
      ['USER', 'first question with several words'],
      ['ASSISTANT', 'Answer to first question with several words'],
      ['USER', 'second question with several words'],
      ['ASSISTANT', 'Answer to second question with several words'],
      ['USER', 'third question with several words'],
      ['ASSISTANT', 'Answer to third question with several words'],
    ]);
    expect(body.messages[1]).toMatchObject({ erased: true, status: 'COMPLETE', seq: 1 });
    expect(body.messages.at(-1)).toMatchObject({ erased: false, status: 'COMPLETE', tokenCount: expect.any(Number) });
  });

  it('exports one chat as Markdown', async () => {
    const sent = await turn(app(), 'Markdown please');
    const response = await get(app(), `/export/chats/${sent.chat.id}.md`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(response.text).toMatch(new RegExp(`^# Markdown please\\n\\n- Chat: \`${sent.chat.id}\`\\n- Model: ${sent.chat.model}\\n`));
    expect(response.text).toContain('\n## User · ');
    expect(response.text).toContain('\n\nMarkdown please\n');
    expect(response.text).toContain('\n## Assistant · ');
    expect(response.text).toContain('\n\nAnswer to Markdown please\n');
  });

  it('exports all of the caller\'s chats, oldest first, page by page from the store', async () => {
    const chats: string[] = [];
    for (let i = 0; i < 105; i += 1) {
      chats.push((await data(app(), CreateChatDocument, { input: { title: `chat ${i}` } })).createChat.id);
    }
    for (let i = 0; i < 55; i += 1) await turn(app(), `message ${i}`, chats[0]);
    await turn(app(), 'not yours', undefined, 'bob');

    const queries: string[] = [];
    const record = (query: { sql: string }) => queries.push(query.sql);
    app().app.knex.on('query', record);
    let response;
    try {
      response = await get(app(), '/export/chats.json');
    } finally {
      app().app.knex.off('query', record);
    }
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="chats-\d{4}-\d{2}-\d{2}\.json"$/);
    const body = JSON.parse(response.text);
    expect(body.userId).toBe('alice');
    expect(body.chats.map((entry: { chat: { id: string } }) => entry.chat.id)).toEqual(chats);
    expect(body.chats[0].messages).toHaveLength(111);
    expect(body.chats[1].messages.map((m: { role: string }) => m.role)).toEqual(['SYSTEM']);
    // Bounded reads: a page of at most 100 chats or messages (and one row to look ahead) at a time.
    const reads = (table: string) => queries.filter((sql) => new RegExp(`^select \\S*\\* from [\`"]${table}[\`"]`, 'i').test(sql));
    expect(reads('chats')).toHaveLength(2);
    expect(reads('messages')).toHaveLength(105 + 1);
    expect([...reads('chats'), ...reads('messages')].every((sql) => /\blimit\b/i.test(sql))).toBe(true);
  });

  it('answers errors as { error: { code, message } }: no credential, no user, another user\'s chat, no such export', async () => {
    const bobs = await turn(app(), 'Bob only', undefined, 'bob');
    const code = async (path: string, headers?: Record<string, string>) => {
      const response = await get(app(), path, headers);
      return [response.status, JSON.parse(response.text).error.code];
    };
    expect(await code(`/export/chats/${bobs.chat.id}.json`, {})).toEqual([401, 'UNAUTHENTICATED']);
    expect(await code('/export/chats.json', { authorization: 'Bearer wrong-token', 'x-user-id': 'alice' })).toEqual([401, 'UNAUTHENTICATED']);
    expect(await code('/export/chats.json', { authorization: `Bearer ${SERVICE_TOKEN}` })).toEqual([400, 'INVALID_INPUT']);
    // Another user's chat is exactly a chat that does not exist.
    const theirs = await get(app(), `/export/chats/${bobs.chat.id}.md`);
    const missing = await get(app(), '/export/chats/no-such-chat.md');
    expect([theirs.status, theirs.text]).toEqual([missing.status, missing.text]);
    expect(JSON.parse(theirs.text)).toEqual({ error: { code: 'NOT_FOUND', message: 'Chat not found' } });
    expect(await code(`/export/chats/${bobs.chat.id}.txt`)).toEqual([404, 'NOT_FOUND']);
    expect(await code(`/export/chats/${'x'.repeat(80)}.json`)).toEqual([404, 'NOT_FOUND']);
    // Bob gets his own.
    expect((await get(app(), `/export/chats/${bobs.chat.id}.json`, { authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'bob' })).status).toBe(200);
  });
});
