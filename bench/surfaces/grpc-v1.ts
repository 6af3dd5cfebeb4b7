import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { authMetadata, grpcClients } from './grpc-clients.js';
import { TurnClock, TurnError, type Surface } from './surface.js';

interface SendMessageResponse {
  event?: 'started' | 'delta' | 'completed' | 'failed';
  started?: { chat?: { id?: string } };
  delta?: { chatId?: string; text?: string };
  completed?: { chatId?: string };
  failed?: { code?: string; error?: string };
}

/** gRPC chatservice.v1.ChatService/SendMessage: started, deltas (new text only), completed. */
export const surface: Surface = {
  async connect(target, { slots }) {
    if (target.grpcAddress === undefined) throw new Error('no gRPC address');
    const pool = grpcClients('chatservice/v1/chat_service.proto', ['chatservice', 'v1', 'ChatService'], target.grpcAddress, slots);
    const metadata = authMetadata(target.token);
    return {
      turn(input) {
        const clock = new TurnClock(input.startedAt);
        const client = pool.next() as unknown as {
          sendMessage(request: object, metadata: unknown, options: object): ClientReadableStream<SendMessageResponse>;
        };
        return new Promise((resolve, reject) => {
          const call = client.sendMessage({ userId: input.userId, chatId: input.chatId, content: input.text }, metadata, {});
          const onAbort = () => call.cancel();
          input.signal.addEventListener('abort', onAbort, { once: true });
          let chatId: string | undefined;
          let outcome: 'completed' | string | undefined;
          call.on('data', (response: SendMessageResponse) => {
            switch (response.event) {
              case 'started':
                chatId = response.started?.chat?.id;
                break;
              case 'delta':
                if (response.delta?.text) clock.text();
                break;
              case 'completed':
                outcome = 'completed';
                break;
              case 'failed':
                outcome = `${response.failed?.code}: ${response.failed?.error}`;
                break;
            }
          });
          call.on('error', (error: ServiceError) => {
            input.signal.removeEventListener('abort', onAbort);
            reject(new TurnError(`gRPC ${error.code}: ${error.details}`));
          });
          call.on('end', () => {
            input.signal.removeEventListener('abort', onAbort);
            if (outcome === 'completed') resolve(clock.done(chatId));
            else reject(new TurnError(outcome ? `reply failed: ${outcome}` : 'stream ended without completed'));
          });
        });
      },
      async close() {
        pool.close();
      },
    };
  },
};
