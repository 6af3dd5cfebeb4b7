import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { authMetadata, grpcClients } from './grpc-clients.js';
import { TurnClock, TurnError, type Surface } from './surface.js';

interface ChatResponse {
  chatId?: string;
  content?: string;
}

/** gRPC pb.ChatService/ChatStream, the original API: each frame carries the whole text so far. */
export const surface: Surface = {
  async connect(target, { slots }) {
    if (target.grpcAddress === undefined) throw new Error('no gRPC address');
    const pool = grpcClients('chat.proto', ['pb', 'ChatService'], target.grpcAddress, slots);
    const metadata = authMetadata(target.token);
    return {
      turn(input) {
        const clock = new TurnClock(input.startedAt);
        const client = pool.next() as unknown as {
          chatStream(request: object, metadata: unknown, options: object): ClientReadableStream<ChatResponse>;
        };
        return new Promise((resolve, reject) => {
          const call = client.chatStream({ chatId: input.chatId, userId: input.userId, userMessage: input.text }, metadata, {});
          const onAbort = () => call.cancel();
          input.signal.addEventListener('abort', onAbort, { once: true });
          let chatId: string | undefined;
          let length = 0;
          call.on('data', (response: ChatResponse) => {
            if (response.chatId) chatId = response.chatId;
            const content = response.content ?? '';
            if (content.length > length) {
              length = content.length;
              clock.text();
            }
          });
          call.on('error', (error: ServiceError) => {
            input.signal.removeEventListener('abort', onAbort);
            reject(new TurnError(`gRPC ${error.code}: ${error.details}`));
          });
          call.on('end', () => {
            input.signal.removeEventListener('abort', onAbort);
            if (length > 0) resolve(clock.done(chatId));
            else reject(new TurnError('stream ended without reply text'));
          });
        });
      },
      async close() {
        pool.close();
      },
    };
  },
};
