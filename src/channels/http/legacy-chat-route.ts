import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError, toPublicError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { ChatCore } from '../../use-cases/chat-core.js';
import { actAs, type Authenticator, type Credential } from '../auth/authenticator.js';
import { replyFailure, waitForEndingOrThrow } from '../replies/reply-ending.js';
import { HTTP_STATUS, sendError, type ErrorBody } from './http-errors.js';

const legacyChatRequest = z.object({
  // The original service started a new chat for a missing, empty or null chat_id; its clients send all three.
  chat_id: z
    .union([z.string().max(64), z.null()])
    .optional()
    .transform((id) => (id === null || id === '' ? undefined : id)),
  user_id: z.string().min(1, 'user_id is required').max(200),
  user_message: z.string(),
});

/** The original body, plus whether the reply is whole: a stopped or length-cut reply is INCOMPLETE. */
export interface LegacyChatResponse {
  readonly chat_id: string;
  readonly user_id: string;
  readonly content: string;
  readonly status: 'COMPLETE' | 'INCOMPLETE';
  readonly finish_reason: string | null;
}

/** A failed reply still names its chat and the text delivered before the failure, so the client can continue. */
export interface LegacyChatFailure extends ErrorBody {
  readonly chat_id: string;
  readonly user_id: string;
  readonly content: string;
}

const ALL_BUT_POST = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;

const isJson = (contentType: string | undefined) => /^application\/json\s*(;|$)/i.test(contentType ?? '');

/**
 * POST /chat, the original service's endpoint: one message in, the whole
 * reply out. The reply is the server's: a client that hangs up does not stop it.
 */
export function registerLegacyChatRoute(app: FastifyInstance, deps: { core: Pick<ChatCore, 'sendMessage'>; auth: Authenticator }): void {
  const credentials = new WeakMap<object, Credential>();

  app.post<{ Body: unknown }>('/chat', {
    // Credentials first: a bad token is 401 whatever the body is.
    onRequest: async (request) => {
      credentials.set(request, await deps.auth.identify(request.headers.authorization));
    },
  }, async (request, reply) => {
    const credential = credentials.get(request);
    if (!credential) throw new DomainError('UNAUTHENTICATED', 'Missing or invalid credentials');
    if (!isJson(request.headers['content-type'])) {
      return sendError(reply, 'INVALID_INPUT', 'Unsupported content type; send application/json', 415);
    }
    const body = legacyChatRequest.safeParse(request.body);
    if (!body.success) {
      const issue = body.error.issues[0]!;
      const field = issue.path.join('.') || 'body';
      return sendError(reply, 'INVALID_INPUT', `${field}: ${issue.message}`);
    }
    const { chat_id, user_id, user_message } = body.data;
    const caller = actAs(credential, user_id);
    const stream = await deps.core.sendMessage({ userId: caller.userId, chatId: chat_id, content: user_message, channel: 'http' });
    const ending = await waitForEndingOrThrow(stream);
    if (ending.type === 'completed') return toResponse(stream.chat.id, caller.userId, ending.message);
    const error = toPublicError(replyFailure(ending));
    const failure: LegacyChatFailure = { error, chat_id: stream.chat.id, user_id: caller.userId, content: ending.message.content };
    return reply.status(HTTP_STATUS[error.code]).type('application/json').send(failure);
  });

  // The original answered other methods with 405; say which one works.
  app.route({
    method: [...ALL_BUT_POST],
    url: '/chat',
    handler: async (_request, reply) => {
      reply.header('allow', 'POST');
      return sendError(reply, 'INVALID_INPUT', 'Use POST /chat', 405);
    },
  });
}

function toResponse(chatId: string, userId: string, message: Message): LegacyChatResponse {
  return {
    chat_id: chatId,
    user_id: userId,
    content: message.content,
    status: message.status === 'COMPLETE' ? 'COMPLETE' : 'INCOMPLETE',
    finish_reason: message.finishReason,
  };
}
