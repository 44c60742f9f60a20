import { bookingChangeActions } from '../actions.js';
import type { Decision, PolicyContext } from '../types.js';

/**
 * The policy's half of "core and the policy enforce it": a cancel or move whose context carries a
 * refusing change-window decision is denied with core's reason (`guard:appointment-started` or
 * `guard:change-deadline`). The computation stays in core (`decideChangeWindow`); this only reads
 * its result, so the two can never disagree. No decision in the context means nothing to add.
 */
export function decideChangeWindowGuard(action: string, context: PolicyContext): Decision | null {
  const window = context.changeWindow;
  if (!window || window.allowed || !bookingChangeActions.has(action)) return null;
  const ruleId = window.code === 'APPOINTMENT_STARTED' ? 'guard:appointment-started' : 'guard:change-deadline';
  return { allowed: false, reason: window.reason, ruleId, ruleVersion: null };
}
