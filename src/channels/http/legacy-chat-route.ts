import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import type { ChatCore } from '../../use-cases/chat-core.js';
import { actAs, type Authenticator, type Credential } from '../auth/authenticator.js';
import { sendError } from './http-errors.js';

const legacyChatRequest = z.object({
  chat_id: z.string().min(1).max(64).optional(),
  user_id: z.string().min(1, 'user_id is required').max(200),
  user_message: z.string(),
});

/**
 * POST /chat, the original service's endpoint: one message in, the whole
 * reply out. The reply is the server's: a client that hangs up does not stop it.
 */
const isJson = (contentType: string | undefined) => /^application\/json\s*(;|$)/i.test(contentType ?? '');

const credentials = new WeakMap<object, Credential>();

export function registerLegacyChatRoute(app: FastifyInstance, deps: { core: ChatCore; auth: Authenticator }): void {
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
    const stream = await deps.core.sendMessage({ userId: caller.userId, chatId: chat_id, content: user_message });
    for await (const event of stream) {
      if (event.type === 'completed') {
        return { chat_id: stream.chat.id, user_id: caller.userId, content: event.message.content };
      }
      if (event.type === 'failed') throw new DomainError(event.code, event.error);
    }
    throw new DomainError('INTERNAL', 'The reply ended without a result');
  });
}
