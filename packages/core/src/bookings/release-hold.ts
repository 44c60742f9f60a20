import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { recordEvent } from '../events/events.js';
import { parseInput } from '../validation/parse.js';
import { readLiveHold } from './held.js';
import { toHold } from './rows.js';
import { releaseInputSchema } from './schemas.js';
import type { Hold } from './types.js';

/** Gives a live hold back before it lapses: status `released`, claim freed, `hold.released` recorded. */
export async function releaseHold(ctx: EngineContext, input: { tenantId: string; holdId: string; sessionId: string }): Promise<Hold> {
  const data = parseInput(releaseInputSchema, input);
  return withTenant(ctx.pool, data.tenantId, async (client) => {
    const now = ctx.clock.now();
    const hold = await readLiveHold(client, { ...data, now });
    await client.query(
      `WITH released AS (UPDATE holds SET status = 'released' WHERE id = $1 RETURNING claim_id)
       UPDATE claims SET is_active = false WHERE id IN (SELECT claim_id FROM released)`,
      [hold.id],
    );
    const released = toHold({ ...hold, status: 'released' }, hold.timeZone);
    await recordEvent(client, {
      tenantId: hold.tenantId,
      type: 'hold.released',
      subjectId: hold.id,
      sessionId: hold.sessionId,
      payload: { holdId: hold.id, serviceId: hold.serviceId, resourceId: hold.resourceId, start: released.start, end: released.end },
      occurredAt: now,
    });
    return released;
  });
}
