import { invalidInput } from '../../domain/errors.js';
import type { ChatServiceHandlers } from './generated/chatservice/v1/ChatService.js';
import type { SendMessageRequest__Output as SendMessageRequest } from './generated/chatservice/v1/SendMessageRequest.js';
import type { SendMessageResponse } from './generated/chatservice/v1/SendMessageResponse.js';
import type { WatchReplyRequest__Output as WatchReplyRequest } from './generated/chatservice/v1/WatchReplyRequest.js';
import type { GrpcContext } from './grpc-context.js';
import { serverStreamCall } from './server-stream-call.js';
import { unaryCall } from './unary-call.js';
import { usageRange, usageSummaryToProto, userLimitsToProto } from './usage-mapping.js';
import {
  chatToProto,
  messageToProto,
  nextPageToken,
  pageRequest,
  replyEventToProto,
  sendMessageInput,
} from './v1-mapping.js';

/** chatservice.v1.ChatService: the chat core's use cases, one call each. */
export function chatServiceV1(ctx: GrpcContext): ChatServiceHandlers {
  const { core } = ctx;
  return {
    SendMessage: serverStreamCall<SendMessageRequest, SendMessageResponse>(ctx, async (request, caller, stream) => {
      const reply = await core.sendMessage(sendMessageInput(request, caller));
      await stream.forEach(reply, (event) => stream.send(replyEventToProto(event)));
    }),

    WatchReply: serverStreamCall<WatchReplyRequest, SendMessageResponse>(ctx, async (request, caller, stream) => {
      const after = request.after === undefined || request.after === '' ? null : request.after;
      const reply = await core.watchReply(caller.userId, required(request.message_id, 'message_id'), after);
      await stream.forEach(reply, (event) => stream.send(replyEventToProto(event)));
    }),

    StopReply: unaryCall(ctx, async (request, caller) => {
      const message = await core.stopReply(caller.userId, required(request.message_id, 'message_id'));
      return { message: messageToProto(message) };
    }),

    ListChats: unaryCall(ctx, async (request, caller) => {
      const page = await core.listChats({ userId: caller.userId, ...pageRequest(request.page_size, request.page_token) });
      return { chats: page.items.map((chat) => chatToProto(chat)), next_page_token: nextPageToken(page) };
    }),

    GetChat: unaryCall(ctx, async (request, caller) => {
      const chatId = required(request.chat_id, 'chat_id');
      const chat = await core.getChat(caller.userId, chatId);
      const page = await core.listMessagesOf(chat, {
        ...pageRequest(request.page_size, request.page_token),
        includeErased: request.include_erased,
      });
      const summary = await core.contextSummary(chat.id);
      return { chat: chatToProto(chat, summary), messages: page.items.map(messageToProto), next_page_token: nextPageToken(page) };
    }),

    DeleteChat: unaryCall(ctx, async (request, caller) => {
      await core.deleteChat(caller.userId, required(request.chat_id, 'chat_id'));
      return {};
    }),

    GetUsage: unaryCall(ctx, async (request, caller) => {
      const [usage, limits] = await Promise.all([core.usage(caller.userId, usageRange(request)), core.limits(caller.userId)]);
      return { usage: usageSummaryToProto(usage), limits: userLimitsToProto(limits) };
    }),
  };
}

function required(value: string, field: string): string {
  if (value.trim() === '') throw invalidInput(`${field} is required`);
  return value;
}
