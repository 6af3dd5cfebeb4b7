import type { Message, MessageRole } from '../domain/message.js';
import type { ModelSpec } from '../domain/models.js';
import { messageTokens } from '../domain/token-rules.js';
import type { CoreDeps } from './core-deps.js';

/**
 * A complete SYSTEM or USER message about to be stored, with its token count
 * computed now, once: the only time its text is tokenized.
 */
export function writtenMessage(
  deps: CoreDeps,
  fields: { chatId: string; seq: number; role: Exclude<MessageRole, 'ASSISTANT'>; content: string; model: ModelSpec; at: Date },
): Message {
  const { chatId, seq, role, content, model, at } = fields;
  return {
    id: deps.ids.newId(),
    chatId,
    seq,
    role,
    content,
    tokenCount: messageTokens({ role, content }, (text) => deps.tokens.count(text, model.encoding)),
    status: 'COMPLETE',
    erased: false,
    model: model.name,
    finishReason: null,
    usage: null,
    errorCode: null,
    createdAt: at,
  };
}
