import type { ActionResult } from '../policy/gate.js';
import { localeOf } from './appointment.js';
import type { ToolCall, ToolContext } from './context.js';
import { queueNotification } from './notify.js';

/** How long a waitlist offer's hold keeps the slot (the engine allows up to an hour). */
const offerHoldSeconds = 900;

interface EntryView {
  id: string;
  clientName: string;
  clientEmail: string | null;
  clientPhone: string | null;
  serviceName: string;
  businessName: string;
  timeZone: string;
  settings: Record<string, unknown>;
}

/**
 * offer_waitlist_slot: a slot opened. The first waiting entry (oldest) whose service, resource and
 * window match gets a hold of its own and is told by SMS and email. Entries are locked with SKIP
 * LOCKED so two workers handling two openings never offer to the same person at once.
 */
export async function offerWaitlistSlot(
  ctx: ToolContext,
  call: ToolCall,
  args: { serviceId: string; resourceId?: string | null | undefined; start: string; end?: string | undefined },
): Promise<ActionResult[]> {
  const { rows } = await call.client.query<EntryView>(
    `SELECT w.id, w.client_name AS "clientName", w.client_email AS "clientEmail", w.client_phone AS "clientPhone",
            s.name AS "serviceName", t.name AS "businessName", t.time_zone AS "timeZone", t.settings
       FROM waitlist_entries w JOIN services s ON s.tenant_id = w.tenant_id AND s.id = w.service_id JOIN tenants t ON t.id = w.tenant_id
      WHERE w.tenant_id = $1 AND w.service_id = $2 AND w.status = 'waiting'
        AND ($3::uuid IS NULL OR w.resource_id IS NULL OR w.resource_id = $3)
        AND w.window_start <= $4 AND w.window_end > $4
        AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.waitlist_entry_id = w.id AND o.slot_start = $4)
      ORDER BY w.created_at, w.id
      LIMIT 1
      FOR UPDATE OF w SKIP LOCKED`,
    [call.tenantId, args.serviceId, args.resourceId ?? null, args.start],
  );
  const entry = rows[0];
  if (!entry) return [{ outcome: 'skipped', reason: 'nobody on the waitlist matches this slot' }];
  const offer = await ctx.gate.run(
    call.client,
    { tenantId: call.tenantId, tool: 'offer_waitlist_slot', action: 'waitlist.offer', subjectId: entry.id, eventId: call.eventId, clientKey: entry.clientEmail ?? entry.clientPhone ?? undefined },
    async () => {
      if (!ctx.engine) return { outcome: 'skipped', reason: 'no booking engine configured to hold the slot' };
      let hold;
      try {
        // The engine runs its own transaction: if ours rolls back, the hold simply lapses.
        hold = await ctx.engine.hold({
          tenantId: call.tenantId,
          serviceId: args.serviceId,
          start: args.start,
          resourceId: args.resourceId ?? undefined,
          sessionId: `waitlist:${entry.id}`,
          ttlSeconds: offerHoldSeconds,
        });
      } catch (error) {
        return { outcome: 'skipped', reason: `could not hold the slot: ${error instanceof Error ? error.message : String(error)}` };
      }
      await call.client.query('INSERT INTO waitlist_offers (tenant_id, waitlist_entry_id, hold_id, slot_start) VALUES ($1, $2, $3, $4)', [call.tenantId, entry.id, hold.id, args.start]);
      await call.client.query(`UPDATE waitlist_entries SET status = 'offered' WHERE tenant_id = $1 AND id = $2`, [call.tenantId, entry.id]);
      return { outcome: 'done', detail: { holdId: hold.id, expiresAt: hold.expiresAt, start: hold.start, end: hold.end } };
    },
  );
  if (offer.outcome !== 'done') return [offer.outcome === 'denied' ? { outcome: 'skipped', reason: offer.reason } : offer];
  const detail = offer.detail as { expiresAt: string; start: string; end: string };
  const notices = await queueNotification(ctx, call, {
    tool: 'offer_waitlist_slot',
    template: 'waitlist_offer',
    locale: localeOf(entry.settings),
    data: { businessName: entry.businessName, clientName: entry.clientName, serviceName: entry.serviceName, start: detail.start, end: detail.end, timeZone: entry.timeZone, expiresAt: detail.expiresAt },
    email: entry.clientEmail,
    phone: entry.clientPhone,
    key: `waitlist:${entry.id}:${args.start}`,
    subjectId: entry.id,
  });
  return [offer, ...notices];
}
