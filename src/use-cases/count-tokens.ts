import { invalidInput } from '../domain/errors.js';
import type { MessageRole } from '../domain/message.js';
import { MODEL_NAME_PATTERN } from '../domain/models.js';
import { messageTokens, promptTokens } from '../domain/token-rules.js';
import type { CoreDeps } from './core-deps.js';

/** The ports this use case needs. */
export type CountTokensDeps = Pick<CoreDeps, 'models' | 'tokens'>;

export interface CountTokensInput {
  readonly model: string;
  readonly messages: readonly { role: MessageRole; content: string; name?: string | undefined }[];
}

export const MAX_COUNTED_MESSAGES = 1_000;

/** The exact prompt token count the API would report for these messages. */
export function countTokens(deps: CountTokensDeps, input: CountTokensInput): number {
  if (!MODEL_NAME_PATTERN.test(input.model)) throw invalidInput('model is not a valid model name');
  if (input.messages.length > MAX_COUNTED_MESSAGES) {
    throw invalidInput(`At most ${MAX_COUNTED_MESSAGES} messages can be counted at once`);
  }
  const { encoding } = deps.models.resolve(input.model).spec;
  const count = (text: string) => deps.tokens.count(text, encoding);
  return promptTokens(input.messages.map((m) => messageTokens(m, count)));
}
