import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as GrpcServer, ServerCredentials, status, type ServerWritableStream } from '@grpc/grpc-js';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadChatProtos } from '../../src/channels/grpc/load-protos.js';
import type { TokenUsage } from '../../src/domain/message.js';
import { LeanUpstream } from './lean-upstream.js';

/**
 * The floor: the least a server can do to relay a chat turn, in its own
 * process like the service, so its CPU per turn compares with the service's.
 * It speaks the two protocols the bench drives hardest — the v1 gRPC
 * `SendMessage` stream (same proto, same loader options, same server
 * limits) and graphql-ws (`connection_init`/`connection_ack`, `subscribe`,
 * `next` payloads shaped as the bench's `sendMessage` subscription selects
 * them, `complete`) — and for each turn calls the same fake upstream and
 * relays every delta, read with the service's own lean SSE reader.
 *
 * No database, no GraphQL execution, no tokenizer, no history (the upstream
 * gets the system prompt and the user message), no coalescing. It checks the
 * token as a real pass-through must, with a plain comparison.
 *
 * Started by bench/run.ts with FLOOR_UPSTREAM_URL, FLOOR_TOKEN, FLOOR_MODEL,
 * FLOOR_SYSTEM_PROMPT; answers `{ type: 'ready', httpUrl, grpcAddress }` over IPC.
 */

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`floor: ${name} is not set`);
  return value;
};
const TOKEN = env('FLOOR_TOKEN');
const MODEL = env('FLOOR_MODEL');
const upstream = new LeanUpstream(env('FLOOR_UPSTREAM_URL'), 'sk-bench', MODEL, env('FLOOR_SYSTEM_PROMPT'));
const SYSTEM_PROMPT = env('FLOOR_SYSTEM_PROMPT');

const authorized = (value: unknown) => value === `Bearer ${TOKEN}` || value === TOKEN;
const now = () => {
  const ms = Date.now();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
};

/** The turn as the v1 API shows it: a chat, the user message and the reply being written. */
function turnMessages(userId: string, chatId: string, content: string) {
  const time = now();
  const message = (seq: number, role: string, text: string, state: string) => ({
    id: randomUUID(),
    chat_id: chatId,
    seq,
    role,
    content: text,
    token_count: 0,
    status: state,
    erased: false,
    model: MODEL,
    create_time: time,
  });
  return {
    chat: {
      id: chatId,
      user_id: userId,
      title: content.slice(0, 60),
      status: 'CHAT_STATUS_ACTIVE',
      model: MODEL,
      system_prompt: SYSTEM_PROMPT,
      config: { temperature: 1, top_p: 1, max_tokens: 1024, stop: [], presence_penalty: 0, frequency_penalty: 0, context_strategy: 'CONTEXT_STRATEGY_TRUNCATE' },
      create_time: time,
      update_time: time,
    },
    user: message(1, 'MESSAGE_ROLE_USER', content, 'MESSAGE_STATUS_COMPLETE'),
    reply: message(2, 'MESSAGE_ROLE_ASSISTANT', '', 'MESSAGE_STATUS_STREAMING'),
  };
}

// gRPC: chatservice.v1.ChatService/SendMessage, with the service's loader options and channel limits.
interface SendMessageRequest {
  user_id: string;
  chat_id?: string;
  content: string;
}

function sendMessage(call: ServerWritableStream<SendMessageRequest, object>): void {
  if (!authorized(call.metadata.get('authorization')[0])) {
    call.emit('error', { code: status.UNAUTHENTICATED, details: 'bad token' });
    return;
  }
  const { user_id: userId, content } = call.request;
  const chatId = call.request.chat_id || randomUUID();
  const turn = turnMessages(userId, chatId, content);
  const messageId = turn.reply.id;
  call.write({ started: { chat: turn.chat, user_message: turn.user, assistant_message: turn.reply } });
  let text = '';
  upstream.stream(content, {
    delta(piece) {
      text += piece;
      if (!call.cancelled) call.write({ delta: { chat_id: chatId, message_id: messageId, text: piece, cursor: String(text.length) } });
    },
    finish(finishReason: string, usage: TokenUsage | null) {
      if (call.cancelled) return;
      const message = {
        ...turn.reply,
        content: text,
        status: 'MESSAGE_STATUS_COMPLETE',
        finish_reason: finishReason,
        usage: usage ? { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens } : undefined,
      };
      call.write({ completed: { chat_id: chatId, message } });
      call.end();
    },
    fail(reason) {
      if (call.cancelled) return;
      call.write({ failed: { chat_id: chatId, code: 'UPSTREAM_UNAVAILABLE', error: reason, message: { ...turn.reply, content: text, status: 'MESSAGE_STATUS_FAILED' } } });
      call.end();
    },
  });
}

const protos = loadChatProtos();
const grpc = new GrpcServer({
  'grpc.max_receive_message_length': 1024 * 1024,
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.max_concurrent_streams': 1_000,
});
grpc.addService(protos.services.chatservice.v1.ChatService.service, { SendMessage: sendMessage } as never);

// graphql-ws: the protocol by hand, `next` payloads as the bench's subscription selects them.
const PROTOCOL = 'graphql-transport-ws';
const http = createServer((_req, res) => {
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024, handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false) });
http.on('upgrade', (req: IncomingMessage, socket, head) => {
  if (!req.url?.startsWith('/graphql')) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
});

interface ClientMessage {
  type?: string;
  id?: string;
  payload?: { authorization?: unknown; userId?: unknown; variables?: { input?: { chatId?: unknown; content?: unknown } } };
}

function onSocket(ws: WebSocket): void {
  let userId: string | undefined;
  /** Operations this client still follows; a `complete` from it stops the relay to it (the turn still runs). */
  const live = new Set<string>();
  const send = (id: string, payload: object) => {
    if (live.has(id) && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, type: 'next', payload }));
  };
  const complete = (id: string) => {
    if (!live.delete(id) || ws.readyState !== ws.OPEN) return;
    ws.send(`{"id":${JSON.stringify(id)},"type":"complete"}`);
  };
  ws.on('message', (data) => {
    let message: ClientMessage;
    try {
      message = JSON.parse(String(data)) as ClientMessage;
    } catch {
      return ws.close(4400, 'Invalid message received');
    }
    switch (message.type) {
      case 'connection_init':
        if (!authorized(message.payload?.authorization) || typeof message.payload?.userId !== 'string') return ws.close(4403, 'Forbidden');
        userId = message.payload.userId;
        return ws.send('{"type":"connection_ack"}');
      case 'ping':
        return ws.send('{"type":"pong"}');
      case 'complete':
        if (message.id !== undefined) live.delete(message.id);
        return;
      case 'subscribe': {
        const id = message.id;
        const input = message.payload?.variables?.input;
        if (userId === undefined || typeof id !== 'string' || typeof input?.content !== 'string') return ws.close(4400, 'Bad subscribe');
        live.add(id);
        const chatId = typeof input.chatId === 'string' ? input.chatId : randomUUID();
        const replyId = randomUUID();
        send(id, { data: { sendMessage: { __typename: 'ReplyStarted', chat: { id: chatId } } } });
        upstream.stream(input.content, {
          delta: (text) => send(id, { data: { sendMessage: { __typename: 'ReplyDelta', text } } }),
          finish: () => {
            send(id, { data: { sendMessage: { __typename: 'ReplyCompleted', message: { id: replyId, status: 'COMPLETE' } } } });
            complete(id);
          },
          fail: () => {
            send(id, { data: { sendMessage: { __typename: 'ReplyFailed', code: 'UPSTREAM_UNAVAILABLE' } } });
            complete(id);
          },
        });
        return;
      }
      default:
        return;
    }
  });
  ws.on('error', () => {});
}

async function main(): Promise<void> {
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  process.send?.({ type: 'ready', httpUrl: `http://127.0.0.1:${port}`, grpcAddress: `127.0.0.1:${grpcPort}` });
}

// The orchestrator owns this process: when it goes, so does the floor.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
