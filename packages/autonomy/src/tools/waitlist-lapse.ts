import { readHoldView, settleWaitlistOffer } from '@gomomo/core';
import type { ActionResult } from '../policy/gate.js';
import { addJob } from '../queue/add-job.js';
import type { ToolCall, ToolContext } from './context.js';
import { callTool } from './registry.js';
import { offerLapseTask } from './waitlist.js';

// Holds a call's transaction already knows to carry no open waitlist offer (the statement that
// claimed the event asked), so settling finds nothing to do without another round trip.
const withoutOfferInCall = new WeakMap<ToolCall, Set<string>>();

/**
 * Records that no waitlist entry is offered the slot under `holdId`, as read a statement earlier in
 * this call's transaction: the read `settleWaitlistOffer` would make, only sooner. An offer whose
 * row commits after either read is settled by its lapse job (`runOfferLapse`), as before.
 */
export function rememberNoOffer(call: ToolCall, holdId: string): void {
  const holds = withoutOfferInCall.get(call) ?? new Set<string>();
  withoutOfferInCall.set(call, holds);
  holds.add(holdId);
}

/**
 * Settles the waitlist offer kept under `holdId` (if it is one) once the hold is booked, lapsed or
 * given back: booked → the entry is booked and the offer accepted; lapsed or given back → the entry
 * returns to waiting and the slot is offered to the next person in line (the entry that just had it
 * is skipped for this slot). Called from `hold.expired`, `hold.released` and `booking.created`, and by
 * the lapse job; whichever comes first settles it, the others find nothing to do.
 */
export async function settleOffer(ctx: ToolContext, call: ToolCall, holdId: string): Promise<ActionResult[]> {
  if (withoutOfferInCall.get(call)?.has(holdId)) return [];
  const settled = await settleWaitlistOffer(call.client, { tenantId: call.tenantId, holdId });
  if (settled.outcome !== 'booked' && settled.outcome !== 'returned') return [];
  await call.client.query(`UPDATE waitlist_offers SET status = $3 WHERE tenant_id = $1 AND hold_id = $2 AND status = 'open'`, [
    call.tenantId,
    holdId,
    settled.outcome === 'booked' ? 'accepted' : 'lapsed',
  ]);
  if (settled.outcome === 'booked') return [{ outcome: 'done', reason: 'waitlist offer accepted', detail: { entryId: settled.entryId } }];
  const returned: ActionResult = { outcome: 'done', reason: 'waitlist offer lapsed; the entry is waiting again', detail: { entryId: settled.entryId } };
  const next = await callTool(ctx, call, { name: 'offer_waitlist_slot', args: { serviceId: settled.slot.serviceId, resourceId: settled.slot.resourceId, start: settled.slot.start, end: settled.slot.end } });
  return [returned, ...next];
}

/**
 * The lapse job, due when an offer's hold runs out: a hold still active past its time is expired
 * through the engine (which records `hold.expired`, whose handler settles the offer), so an offer
 * lapses on time even where nothing else sweeps holds. Early (a clock behind the database's), it
 * comes back at the hold's expiry.
 */
export async function runOfferLapse(ctx: ToolContext, call: ToolCall, holdId: string): Promise<ActionResult[]> {
  const hold = await readHoldView(call.client, { tenantId: call.tenantId, holdId });
  if (!hold) return [{ outcome: 'skipped', reason: 'no such hold' }];
  if (hold.status !== 'active') return settleOffer(ctx, call, holdId);
  if (hold.expiresAt.getTime() > ctx.clock.now().getTime()) {
    // At least a second out by the queue's (the database's) clock: an app clock behind it must not spin the job.
    const { rows } = await call.client.query<{ dbNow: Date }>('SELECT now() AS "dbNow"');
    const runAt = new Date(Math.max(hold.expiresAt.getTime(), rows[0]!.dbNow.getTime() + 1000));
    await addJob(call.client, { task: offerLapseTask, payload: { tenantId: call.tenantId, holdId }, runAt, jobKey: `${offerLapseTask}:${holdId}` });
    return [{ outcome: 'skipped', reason: 'the hold has not lapsed yet' }];
  }
  if (!ctx.engine) return [{ outcome: 'skipped', reason: 'no booking engine configured to expire the hold' }];
  const expired = await ctx.engine.expireHolds();
  return [{ outcome: 'done', reason: 'lapsed holds expired', detail: { expired } }];
}
