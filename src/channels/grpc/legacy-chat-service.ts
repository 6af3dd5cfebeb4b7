import type { ChatRequest__Output as ChatRequest } from './generated/pb/ChatRequest.js';
import type { ChatResponse } from './generated/pb/ChatResponse.js';
import type { ChatServiceHandlers } from './generated/pb/ChatService.js';
import { replyFailure } from '../replies/reply-ending.js';
import type { GrpcContext } from './grpc-context.js';
import { serverStreamCall } from './server-stream-call.js';

/**
 * pb.ChatService, the original service's one call, wire-compatible: every
 * frame carries the whole reply text so far. Unlike the original, an unknown
 * or foreign chat_id is NOT_FOUND instead of silently starting a new chat.
 */
export function legacyChatService(ctx: GrpcContext): ChatServiceHandlers {
  return {
    ChatStream: serverStreamCall<ChatRequest, ChatResponse>(ctx, async (request, caller, stream) => {
      const reply = await ctx.core.sendMessage({
        userId: caller.userId,
        // The original treated an empty chat_id as none; its clients may still send one.
        chatId: request.chat_id === undefined || request.chat_id === '' ? undefined : request.chat_id,
        content: request.user_message,
        channel: 'grpc',
      });
      let content = '';
      await stream.forEach(reply, async (event) => {
        if (event.type === 'delta') {
          content += event.text;
          await stream.send({ chat_id: reply.chat.id, user_id: caller.userId, content });
        } else if (event.type === 'failed') {
          throw replyFailure(event);
        }
      });
    }),
  };
}
