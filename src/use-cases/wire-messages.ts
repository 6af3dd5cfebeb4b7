import type { MessageRole } from '../domain/message.js';
import { wireRole } from '../domain/token-rules.js';
import type { CompletionMessage } from './ports.js';

interface PromptMessage {
  readonly role: MessageRole;
  readonly content: string;
}

/**
 * Wire forms already made, by the message they were made from. A stored
 * message is the same object turn after turn (the context cache keeps it),
 * so its wire form is too, which lets the completion adapter keep its
 * encoding by identity (see openai-completion-model.ts): a long chat's
 * prompt is not rebuilt and re-encoded message by message on every turn.
 * Held weakly, it goes when the message does; while it lives, the wire
 * form and its encoding cost about the message's text again.
 */
const wireForms = new WeakMap<PromptMessage, CompletionMessage>();

/** The prompt as the completion port takes it. */
export function wireMessages(prompt: readonly PromptMessage[]): CompletionMessage[] {
  return prompt.map((message) => {
    let wire = wireForms.get(message);
    if (wire === undefined) {
      wire = { role: wireRole(message.role), content: message.content };
      wireForms.set(message, wire);
    }
    return wire;
  });
}
