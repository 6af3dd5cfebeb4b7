import { validateUserId } from '../../domain/chat.js';
import { DomainError } from '../../domain/errors.js';

// \s covers Unicode spaces (NBSP, U+2028, U+FEFF ...); \p{Cc} every C0/C1 control, NUL included.
const SURROUNDING_WHITESPACE = /^\s|\s$/u;
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * A user id as the identity boundary accepts it: exactly the characters the
 * caller sent, none of them surrounding whitespace or control characters.
 * Stores compare ids byte for byte, so "alice " would be another user that
 * looks like alice in every log and UI; refusing it is the safe answer.
 */
export function checkUserId(userId: string): string {
  validateUserId(userId);
  if (SURROUNDING_WHITESPACE.test(userId) || CONTROL_CHARACTER.test(userId)) {
    throw new DomainError('INVALID_INPUT', 'user_id must not start or end with whitespace or contain control characters');
  }
  return userId;
}
