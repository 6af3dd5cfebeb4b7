import { DomainError } from '../../src/domain/errors.js';

/** The code of the DomainError `run` throws, or 'none' when it returns; any other error is rethrown. */
export function domainErrorCodeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'none';
}
