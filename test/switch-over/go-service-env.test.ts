import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { credentials, loadPackageDefinition, Metadata, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { createKnex } from '../../src/infra/db/create-knex.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { FakeOpenAI } from '../support/fake-openai.js';
import { mysqlServerUrl } from '../support/stores.js';
import { createGoServiceDatabase, GO_CHAT_ID, GO_USER } from './go-service-fixture.js';

/** The original service's .env, as its README has people write it. */
const ORIGINAL_ENV = `DB_DRIVER=mysql
DB_HOST=localhost
DB_PORT=3306
DB_USER=root
DB_PASSWORD=root
DB_NAME=chat_test
WEB_SERVER_PORT=8080
GRPC_SERVER_PORT=50052
INITIAL_CHAT_MESSAGE="You are a helpful assistant"
OPENAI_API_KEY=sk-0000000000000000000000000000000000000000
MODEL=gpt-3.5-turbo
MODEL_MAX_TOKENS=4096
TEMPERATURE=0.1
TOP_P=1
N=1
STOP=["\\super-end\\"]
MAX_TOKENS=300
AUTH_TOKEN=123456
`;

/** The BFF's proto/chat.proto, verbatim; it loads it with proto-loader's defaults (camelCase fields). */
const BFF_PROTO = `syntax = "proto3";
package pb;
option go_package = "internal/infra/grpc/pb";

message ChatRequest {
    optional string chat_id = 1;
    string user_id = 2;
    string user_message = 3;
}

message ChatResponse {
    string chat_id = 1;
    string user_id = 2;
    string content = 3;
}

service ChatService {
    rpc ChatStream(ChatRequest) returns (stream ChatResponse) {}
}`;

describe("the original service's .env", () => {
  it('is read as the Go service meant it: short token accepted, STOP as a list, the old keys', () => {
    const env = Object.fromEntries(ORIGINAL_ENV.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    env.INITIAL_CHAT_MESSAGE = 'You are a helpful assistant';
    const config = loadConfig(env);
    expect(config).toMatchObject({
      httpPort: 8080,
      grpcPort: 50052,
      databaseUrl: 'mysql://root:root@localhost:3306/chat_test',
      auth: { serviceTokens: ['123456'] },
      chat: { model: 'gpt-3.5-turbo', contextWindow: 4096, maxTokens: 300, temperature: 0.1, topP: 1, stop: ['\\super-end\\'] },
    });
    expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).toThrow(/AUTH_TOKEN: must be at least 8 characters in production/);
  });

  it.skipIf(mysqlServerUrl() === null)(
    "starts the service unchanged (but for the database's address) on the Go service's database, and the BFF's ChatStream call gets a streamed reply",
    async () => {
      const server = new URL(mysqlServerUrl()!);
      const admin = createKnex(server.toString());
      await admin.raw('DROP DATABASE IF EXISTS chat_test');
      await admin.raw('CREATE DATABASE chat_test');
      const goUrl = new URL(server);
      goUrl.pathname = '/chat_test';
      const goDb = createKnex(goUrl.toString());
      await createGoServiceDatabase(goDb);
      await goDb.destroy();

      const dir = mkdtempSync(join(tmpdir(), 'chatservice-go-env-'));
      // The test server's address and credentials replace the file's; every other line is as written.
      const envFile = ORIGINAL_ENV.replace('DB_HOST=localhost', `DB_HOST=${server.hostname}`)
        .replace('DB_PORT=3306', `DB_PORT=${server.port}`)
        .replace('DB_USER=root', `DB_USER=${decodeURIComponent(server.username)}`)
        .replace('DB_PASSWORD=root', `DB_PASSWORD=${decodeURIComponent(server.password)}`);
      writeFileSync(join(dir, '.env'), envFile);
      writeFileSync(join(dir, 'chat.proto'), BFF_PROTO);
      const openai = await FakeOpenAI.start();
      const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../../src/main.ts', import.meta.url))], {
        cwd: dir,
        // The file points at api.openai.com; the fake stands in for it. Ports 0 so parallel runs never collide.
        env: { PATH: process.env.PATH, HOME: dir, OPENAI_BASE_URL: openai.url, HTTP_PORT: '0', GRPC_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const logs: Record<string, unknown>[] = [];
      try {
        const grpcPort = await new Promise<number>((resolve, reject) => {
          child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
          createInterface({ input: child.stdout }).on('line', (line) => {
            const entry = JSON.parse(line) as Record<string, unknown>;
            logs.push(entry);
            if (entry.msg === 'chatservice started') resolve(entry.grpcPort as number);
          });
        });
        expect(stderr).toMatch(/WARNING: AUTH_TOKEN is shorter than 8 characters/);
        expect(logs.some((l) => String(l.msg).includes("adopted the Go service's chats"))).toBe(true);
        expect(logs.some((l) => String(l.msg).includes('token counts recomputed with the exact tokenizer'))).toBe(true);

        // The BFF's client code: proto-loader defaults, the bare token, a null chat id for a new chat.
        const proto = loadPackageDefinition(loadSync(join(dir, 'chat.proto')));
        const Client = (proto.pb as GrpcObject).ChatService as ServiceClientConstructor;
        const client = new Client(`127.0.0.1:${grpcPort}`, credentials.createInsecure()) as any;
        const chatStream = (data: { chat_id: string | null; user_id: string; message: string }) => {
          const metadata = new Metadata();
          metadata.set('authorization', '123456');
          return client.chatStream({ chatId: data.chat_id!, userId: data.user_id, userMessage: data.message }, metadata);
        };
        const read = (stream: any) =>
          new Promise<{ chatId: string; userId: string; content: string }[]>((resolve, reject) => {
            const frames: { chatId: string; userId: string; content: string }[] = [];
            stream.on('data', (frame: any) => frames.push(frame));
            stream.on('error', reject);
            stream.on('end', () => resolve(frames));
          });

        openai.reply({ deltas: ['Hello ', 'from ', 'the new service.'] });
        const fresh = await read(chatStream({ chat_id: null, user_id: '1', message: 'Hello' }));
        // Growing frames of the reply so far (deltas that arrive together may share one), as the Go service sent them.
        const contents = fresh.map((f) => f.content);
        expect(contents[0]).toBe('Hello ');
        expect(contents.at(-1)).toBe('Hello from the new service.');
        contents.slice(1).forEach((content, i) => expect(content.startsWith(contents[i]!) && content.length > contents[i]!.length).toBe(true));
        expect(fresh[0]!.chatId).not.toBe('');
        expect(openai.requests.at(-1)!.body).toMatchObject({
          model: 'gpt-3.5-turbo',
          max_tokens: 300,
          temperature: 0.1,
          top_p: 1,
          stop: ['\\super-end\\'],
          messages: [
            { role: 'system', content: 'You are a helpful assistant' },
            { role: 'user', content: 'Hello' },
          ],
        });

        openai.reply({ text: 'Welcome back.' });
        const old = await read(chatStream({ chat_id: GO_CHAT_ID, user_id: GO_USER, message: 'Remember me?' }));
        expect(old.at(-1)).toMatchObject({ chatId: GO_CHAT_ID, userId: GO_USER, content: 'Welcome back.' });
        expect(openai.requests.at(-1)!.body.messages.length).toBe(4);
        client.close();

        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
        await openai.close();
        await admin.raw('DROP DATABASE IF EXISTS chat_test');
        await admin.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
