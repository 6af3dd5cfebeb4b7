import { ERROR_CODES } from '../../../domain/errors.js';
import { builder } from '../builder.js';

/** The stable codes of every channel; GraphQL errors carry them in extensions.code too. */
export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Why something failed. The same codes appear in extensions.code of GraphQL errors.',
  values: ERROR_CODES,
});
