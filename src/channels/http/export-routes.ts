import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../domain/errors.js';
import type { ChatCore } from '../../use-cases/chat-core.js';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { chatAsJson, chatAsMarkdown, chatsAsJson } from './export-formats.js';

const FORMATS = {
  md: { contentType: 'text/markdown; charset=utf-8', write: chatAsMarkdown },
  json: { contentType: 'application/json; charset=utf-8', write: chatAsJson },
} as const;

/** `<chat id>.md` or `<chat id>.json`; ids are at most 36 characters, anything longer is no chat of anyone. */
const CHAT_FILE = /^([^/]{1,64})\.(md|json)$/;

/**
 * A user's chats as files (DESIGN §4): `GET /export/chats/{id}.md`,
 * `GET /export/chats/{id}.json` and `GET /export/chats.json` (all of them).
 * Authenticated like GraphQL over HTTP: `authorization` plus `x-user-id`
 * for a service token, or a JWT. Another user's chat is NOT_FOUND. The body
 * streams as the store is read, so a long history costs one page of memory.
 */
export function registerExportRoutes(app: FastifyInstance, deps: { core: Pick<ChatCore, 'exportChat' | 'exportChats'>; auth: Authenticator }): void {
  app.get<{ Params: { file: string } }>('/export/chats/:file', async (request, reply) => {
    const caller = await authenticate(deps.auth, request);
    const [, chatId, extension] = CHAT_FILE.exec(request.params.file) ?? [];
    if (chatId === undefined || extension === undefined) throw notFound('Export');
    const format = FORMATS[extension as keyof typeof FORMATS];
    const exported = await deps.core.exportChat(caller.userId, chatId);
    return sendAttachment(reply, format.contentType, `${slug(exported.chat.title)}-${slug(chatId)}.${extension}`, format.write(exported));
  });

  app.get('/export/chats.json', async (request, reply) => {
    const caller = await authenticate(deps.auth, request);
    const now = new Date();
    const chats = deps.core.exportChats(caller.userId);
    return sendAttachment(reply, FORMATS.json.contentType, `chats-${now.toISOString().slice(0, 10)}.json`, chatsAsJson(caller.userId, now, chats));
  });
}

function authenticate(auth: Authenticator, request: FastifyRequest): Promise<Caller> {
  const userId = request.headers['x-user-id'];
  return auth.authenticate(request.headers.authorization, typeof userId === 'string' ? userId : undefined);
}

function sendAttachment(reply: FastifyReply, contentType: string, filename: string, body: AsyncIterable<string>) {
  const stream = Readable.from(body);
  // Headers are sent by now: a store failure mid-export can only cut the download short (JSON then fails to parse).
  stream.on('error', (error) => reply.log.error({ err: error }, 'export failed while streaming'));
  return reply
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .type(contentType)
    .send(stream);
}

/** A file-name-safe form of a title or id: ASCII letters, digits and dashes. */
function slug(text: string): string {
  const safe = text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 40)
    .replace(/-+$/, '');
  return safe === '' ? 'chat' : safe;
}
