import { validateUserId } from '../domain/chat.js';
import { applyOverridesPatch, validateOverridesPatch, type LimitOverridesPatch } from '../domain/user-limits.js';
import type { CoreDeps } from './core-deps.js';
import { getLimits, type LimitsStatus } from './get-usage.js';

/** The ports this use case needs. */
export type SetUserLimitsDeps = Pick<CoreDeps, 'clock' | 'usage'>;

/**
 * Changes one user's overrides (a service's call: channels check that the
 * caller may). Absent keys stay, null goes back to the default, 0 is
 * unlimited. Takes effect with the user's next message, on every replica.
 */
export async function setUserLimits(deps: SetUserLimitsDeps, userId: string, patch: LimitOverridesPatch): Promise<LimitsStatus> {
  validateUserId(userId);
  validateOverridesPatch(patch);
  const current = await deps.usage.limits.find(userId);
  await deps.usage.limits.save(userId, applyOverridesPatch(current, patch), deps.clock.now());
  return getLimits(deps, userId);
}
