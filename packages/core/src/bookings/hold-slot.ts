import { findBookableResources } from '../availability/bookable.js';
import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/engine.js';
import { recordEvent } from '../events/events.js';
import { readTenant } from '../tenants/tenants.js';
import { parseInput } from '../validation/parse.js';
import { claimSlot } from './claim.js';
import { toZonedIso } from './format.js';
import { holdColumns, toHold, type HoldRow, type Queryable } from './rows.js';
import { holdInputSchema, type HoldData } from './schemas.js';
import { findService } from './services.js';
import type { Hold, HoldInput } from './types.js';

/**
 * Claims a slot for a session for the hold TTL (the tenant's, or `ttlSeconds`). `SLOT_UNAVAILABLE`
 * when the time is not bookable or every candidate resource is taken.
 */
export async function holdSlot(ctx: EngineContext, input: HoldInput): Promise<Hold> {
  const data = parseInput(holdInputSchema, input);
  return withTenant(ctx.pool, data.tenantId, (client) => holdInTransaction(client, { ctx, data }));
}

/** The body of `holdSlot`, inside a transaction the caller opened (tests vary its isolation). */
export async function holdInTransaction(client: Queryable, { ctx, data }: { ctx: EngineContext; data: HoldData }): Promise<Hold> {
  const tenant = await readTenant(client, data.tenantId);
  const service = await findService(client, { tenant, serviceId: data.serviceId });
  const now = ctx.clock.now();
  const candidates = await findBookableResources(client, { tenant, service, start: data.start, resourceId: data.resourceId, now });
  const won = await claimSlot(client, { tenant, service, candidates, start: data.start, now });
  const expiresAt = new Date(now.getTime() + (data.ttlSeconds ?? tenant.holdTtlSeconds) * 1000);
  const { rows } = await client.query<HoldRow>(
    `INSERT INTO holds AS h (tenant_id, claim_id, service_id, resource_id, session_id, starts_at, ends_at, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${holdColumns}`,
    [tenant.id, won.claimId, service.id, won.resourceId, data.sessionId, won.start, won.end, expiresAt, now],
  );
  const hold = toHold(rows[0]!, tenant.timeZone);
  await recordEvent(client, {
    tenantId: tenant.id,
    type: 'hold.created',
    subjectId: hold.id,
    sessionId: hold.sessionId,
    payload: { holdId: hold.id, serviceId: service.id, resourceId: won.resourceId, start: hold.start, end: hold.end, expiresAt: toZonedIso(expiresAt, tenant.timeZone) },
    occurredAt: now,
  });
  return hold;
}
