import { status, type ServiceError } from '@grpc/grpc-js';
import { loadSync, type MessageTypeDefinition } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendMessageResponse__Output } from '../../src/channels/grpc/generated/chatservice/v1/SendMessageResponse.js';
import type { ChatResponse__Output } from '../../src/channels/grpc/generated/pb/ChatResponse.js';
import { LOADER_OPTIONS } from '../../src/channels/grpc/load-protos.js';
import { storeEngines, type TestStore } from '../support/stores.js';
import { startTestApp, useTestApp } from '../support/test-app.js';
import {
  auth,
  collect,
  healthClient,
  legacyClient,
  messagesReceived,
  PROTO_DIR,
  reflectionClient,
  unary,
  v1Client,
} from './support/grpc-clients.js';

const countRows = async (store: TestStore, table: 'chats' | 'messages') => {
  const [row] = await store.knex(table).count({ n: '*' });
  return Number(row!.n);
};

describe('proto/chat.proto', () => {
  // The bytes the original Go service and its BFF exchange; any drift breaks them.
  const definition = loadSync('chat.proto', { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
  const message = (name: string) => definition[name] as MessageTypeDefinition<object, object>;
  const method = (definition['pb.ChatService'] as Record<string, { path: string; requestStream: boolean; responseStream: boolean }>)
    .ChatStream!;

  it('keeps the original call: /pb.ChatService/ChatStream, one request, a stream of responses', () => {
    expect(method).toMatchObject({ path: '/pb.ChatService/ChatStream', requestStream: false, responseStream: true });
  });

  it('keeps the field numbers of ChatRequest, with chat_id sent only when present', () => {
    const encode = (value: object) => Buffer.from(message('pb.ChatRequest').serialize(value)).toString('hex');
    expect(encode({ chat_id: 'c', user_id: 'u', user_message: 'm' })).toBe('0a0163' + '120175' + '1a016d');
    expect(encode({ user_id: 'u', user_message: 'm' })).toBe('120175' + '1a016d');
  });

  it('keeps the field numbers of ChatResponse', () => {
    const bytes = Buffer.from('0a0163' + '120175' + '1a026869', 'hex');
    expect(message('pb.ChatResponse').deserialize(bytes)).toEqual({ chat_id: 'c', user_id: 'u', content: 'hi' });
  });
});

describe.each(storeEngines())('the gRPC server on %s', (engine) => {
  const t = useTestApp(engine);

  describe('health', () => {
    let client: ReturnType<typeof healthClient>;
    beforeAll(() => {
      client = healthClient(t().grpcPort);
    });
    afterAll(() => client?.close());

    it.each(['', 'pb.ChatService', 'chatservice.v1.ChatService'])('reports "%s" SERVING, without credentials', async (service) => {
      const response = await unary<{ status: string }>((cb) => client.Check({ service }, cb));
      expect(response.status).toBe('SERVING');
    });

    it('answers an unknown service with NOT_FOUND', async () => {
      const error = await unary((cb) => client.Check({ service: 'no.Such' }, cb)).catch((e: ServiceError) => e);
      expect((error as ServiceError).code).toBe(status.NOT_FOUND);
    });
  });

  describe('reflection', () => {
    it.each(['v1', 'v1alpha'] as const)('%s lists both chat services and health, without credentials', async (version) => {
      const client = reflectionClient(t().grpcPort, version);
      try {
        const call = client.ServerReflectionInfo();
        const response = messagesReceived<{ list_services_response: { service: { name: string }[] } }>(call, 1);
        call.write({ list_services: '*' });
        const [{ list_services_response }] = (await response) as [{ list_services_response: { service: { name: string }[] } }];
        call.end();
        expect(list_services_response.service.map((s) => s.name).sort()).toEqual([
          'chatservice.v1.ChatService',
          'grpc.health.v1.Health',
          'pb.ChatService',
        ]);
      } finally {
        client.close();
      }
    });

    it('describes the v1 service with the files it depends on, so generic clients can call it', async () => {
      const client = reflectionClient(t().grpcPort, 'v1');
      try {
        const call = client.ServerReflectionInfo();
        const response = messagesReceived<{ file_descriptor_response: { file_descriptor_proto: Buffer[] } }>(call, 1);
        call.write({ file_containing_symbol: 'chatservice.v1.ChatService' });
        const [{ file_descriptor_response }] = (await response) as [{ file_descriptor_response: { file_descriptor_proto: Buffer[] } }];
        call.end();
        // @grpc/reflection serves one file per package; the service's file comes with the one it imports.
        const names = file_descriptor_response.file_descriptor_proto.map(fileNameOf);
        expect(names.sort()).toEqual(['chatservice_v1.proto', 'google_protobuf.proto']);
      } finally {
        client.close();
      }
    });
  });

  describe('limits', () => {
    let client: ReturnType<typeof legacyClient>;
    beforeAll(() => {
      client = legacyClient(t().grpcPort);
    });
    afterAll(() => client?.close());

    it('refuses a request over 1 MiB with RESOURCE_EXHAUSTED and stores nothing', async () => {
      const requestsBefore = t().openai!.requests.length;
      const { error } = await collect<ChatResponse__Output>(
        client.ChatStream({ user_id: 'alice', user_message: 'x'.repeat(1024 * 1024 + 1) }, auth()),
      );
      expect(error?.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(await countRows(t().store, 'messages')).toBe(0);
      expect(t().openai!.requests.length).toBe(requestsBefore);
    });

    it('takes a request under 1 MiB to the core, which judges its content (MESSAGE_TOO_LARGE)', async () => {
      const { error } = await collect<ChatResponse__Output>(
        client.ChatStream({ user_id: 'alice', user_message: 'x'.repeat(900 * 1024) }, auth()),
      );
      expect(error?.code).toBe(status.INVALID_ARGUMENT);
      expect(error?.metadata.get('chatservice-error-code')).toEqual(['MESSAGE_TOO_LARGE']);
    });
  });
});

describe('the gRPC server, stopping and failing', () => {
  it('reports NOT_SERVING while the store is unreachable', async () => {
    const app = await startTestApp('sqlite');
    const client = healthClient(app.grpcPort);
    try {
      await app.app.knex.destroy();
      const response = await unary<{ status: string }>((cb) => client.Check({ service: 'pb.ChatService' }, cb));
      expect(response.status).toBe('NOT_SERVING');
    } finally {
      client.close();
      await app.stop();
    }
  });

  it('stops gracefully: a running reply is stored and its stream ends, then new calls are refused', async () => {
    const app = await startTestApp('sqlite');
    const client = v1Client(app.grpcPort);
    try {
      app.openai!.reply({ deltas: ['Half ', 'way'], pauseAfterDeltas: 1 });
      const call = client.SendMessage({ user_id: 'alice', content: 'Hello' }, auth());
      const ended = collect<SendMessageResponse__Output>(call);
      await messagesReceived(call, 2);

      await app.stop();

      const { messages, error } = await ended;
      expect(error).toBeUndefined();
      expect(messages.at(-1)!.completed!.message).toMatchObject({ content: 'Half ', status: 'MESSAGE_STATUS_INCOMPLETE' });
      const after = await collect(client.SendMessage({ user_id: 'alice', content: 'Again' }, auth(), { deadline: Date.now() + 2_000 }));
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(after.error?.code);
    } finally {
      client.close();
    }
  });
});

/** FileDescriptorProto.name is field 1: tag 0x0a, a varint length, the bytes. */
function fileNameOf(descriptor: Buffer): string {
  if (descriptor[0] !== 0x0a) return '';
  let length = 0;
  let shift = 0;
  let offset = 1;
  for (;;) {
    const byte = descriptor[offset++]!;
    length |= (byte & 0x7f) << shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  return descriptor.subarray(offset, offset + length).toString('utf8');
}
