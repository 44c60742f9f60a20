import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { formatSlotLabel } from '../format/time.js';
import { defineChatTool } from './descriptor.js';
import { checkFarDate } from './guards.js';
import { enforceHoldQuota, HoldQuotaExceeded, recordHoldOrigin } from './hold-quota.js';
import { instant, uuid } from './schemas.js';
import type { ToolContext } from './tool-context.js';

/**
 * Releases this conversation's older holds once a new one is won: one live hold per conversation.
 * The list comes from the turn's scope (read when the turn opened), so this costs no extra read.
 */
async function releaseOtherHolds(holdId: string, context: ToolContext): Promise<void> {
  const { scope, deps } = context;
  for (const { id } of scope.holds.filter((h) => h.id !== holdId)) {
    await deps.engine.releaseHold({ tenantId: scope.tenant.id, holdId: id, sessionId: scope.session.id }).catch(() => undefined);
  }
  scope.holds = scope.holds.filter((h) => h.id === holdId);
}

/** Holds one slot for this conversation while the customer gives their details. */
export const holdSlotTool = defineChatTool({
  name: 'hold_slot',
  action: 'booking.hold',
  // A hold lapses by itself and the conversation can release it: no consent needed.
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description:
    "Hold one slot from check_availability for this conversation for a few minutes while the customer gives their details. With resourceId, only with that staff member: if they are not free then it fails with SLOT_UNAVAILABLE and holds no one else. Set confirmFarDate only after the customer explicitly said yes to a date far ahead.",
  args: z.strictObject({
    serviceId: uuid,
    start: instant,
    confirmFarDate: z.boolean().optional(),
    /** Only with this staff member (resource): the customer asked for them. */
    resourceId: uuid.optional(),
  }),
  guardrail: { check: (args, context) => checkFarDate(args, { ...context, tool: 'hold_slot', consent: 'confirm' }) },
  handler: async (args, context) => {
    const { scope, deps } = context;
    // Holds are scarce: the quota is checked first, and who asked is recorded once the hold is won.
    const { ttlSeconds } = await enforceHoldQuota(context, args.serviceId);
    const hold = await deps.engine.hold({ tenantId: scope.tenant.id, serviceId: args.serviceId, start: args.start, resourceId: args.resourceId, sessionId: scope.session.id, ...(ttlSeconds ? { ttlSeconds } : {}) });
    await recordHoldOrigin(context, hold.id);
    scope.holds.push({ id: hold.id, expiresAt: new Date(hold.expiresAt) });
    await releaseOtherHolds(hold.id, context);
    scope.emit({ type: 'hold', holdId: hold.id, start: hold.start, end: hold.end, expiresAt: hold.expiresAt });
    return { holdId: hold.id, resourceId: hold.resourceId, start: hold.start, end: hold.end, label: formatSlotLabel(hold.start, scope.tenant.timeZone), expiresAt: hold.expiresAt };
  },
  status: 'holding',
  // The hold quota refuses like a guardrail, in its own words.
  failure: (error) => (error instanceof HoldQuotaExceeded ? { code: 'GUARDRAIL', message: error.message } : describeFailure('hold_slot', error)),
  summary: { none: 'a hold books nothing and lapses by itself' },
});
