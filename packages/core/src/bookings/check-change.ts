import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { parseInput } from '../validation/parse.js';
import { decideChangeWindow, readChangeDeadlineHours, type ChangeWindowDecision } from './change-window.js';
import { assertVerified, readAppointment } from './rows.js';
import { checkChangeInputSchema } from './schemas.js';
import type { Verification } from './types.js';

/**
 * Whether the caller could cancel or move this booking now, by the engine's clock, without
 * changing it: for the policy layer, which denies with the reason before anything runs. Proves
 * ownership first (`NOT_FOUND` / `CONTACT_MISMATCH`), so it tells a stranger nothing. The
 * engine decides again inside the change's own transaction; this is advice, that is the guard.
 */
export async function checkChange(ctx: EngineContext, input: { tenantId: string; reference: string; verify: Verification }): Promise<ChangeWindowDecision> {
  const data = parseInput(checkChangeInputSchema, input);
  return withTenant(
    ctx.pool,
    data.tenantId,
    async (client) => {
      const row = await readAppointment(client, data);
      assertVerified(row, data.verify);
      // The change itself answers ALREADY_CANCELLED first; the window has nothing to add.
      if (row.status === 'cancelled') return { allowed: true, deadlineOverridden: false };
      const deadlineHours = await readChangeDeadlineHours(client, { tenantId: row.tenantId, serviceId: row.serviceId });
      return decideChangeWindow({ reference: row.reference, start: row.startsAt, deadlineHours, now: ctx.clock.now() });
    },
    { isolation: 'read committed' },
  );
}
