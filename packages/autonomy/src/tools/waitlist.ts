import { normalizeEmail, normalizePhone, smsConversationFor } from '@gomomo/channels';
import { lockWaitlistMatch, markEntryOffered, recordEvent, siteUrlOf, type PoolClient, type WaitlistMatch } from '@gomomo/core';
import { addJob } from '../queue/add-job.js';
import type { ActionResult } from '../policy/gate.js';
import { localeOf } from './appointment.js';
import type { ToolCall, ToolContext } from './context.js';
import { queueNotification } from './notify.js';

/** How long a waitlist offer's hold keeps the slot (the engine allows up to an hour). */
const offerHoldSeconds = 900;

/** The task that settles an offer when its hold's time is up (see waitlist-lapse.ts). */
export const offerLapseTask = 'waitlist_offer_lapse';

/**
 * The conversation the offer's hold belongs to, so a reply there can confirm it: the customer's SMS
 * conversation with this tenant when there is a phone (the offer goes out by SMS and "YES" comes
 * back there), else the conversation they joined from. An email-only entry without one gets a
 * placeholder; any conversation that proves the entry's email takes the hold over (core's
 * takeWaitlistOffer).
 */
async function offerSessionOf(entry: EntryView, context: { client: PoolClient; tenantId: string; now: Date }): Promise<string> {
  const phone = entry.clientPhone ? normalizePhone(entry.clientPhone) : null;
  if (phone) return smsConversationFor(context.client, { tenantId: context.tenantId, phone, now: context.now });
  return entry.sessionId ?? `waitlist-offer-${entry.id}`;
}

type EntryView = WaitlistMatch;

/**
 * The offer's link: the site with the token in the URL fragment (`#gomomo-offer=…`), which browsers
 * never send to a server, so the token reaches no access log; the widget reads and removes it.
 */
async function offerLinkOf(ctx: ToolContext, call: ToolCall, input: { entry: EntryView; holdId: string; expiresAt: string }): Promise<string | null> {
  const site = siteUrlOf(input.entry.tenantSettings);
  if (!site || !ctx.issueOfferLink) return null;
  const token = await ctx.issueOfferLink(call.client, { tenantId: call.tenantId, holdId: input.holdId, expiresAt: new Date(input.expiresAt), now: ctx.clock.now() });
  site.hash = `gomomo-offer=${token}`;
  return site.toString();
}

type OfferArgs = { serviceId: string; resourceId?: string | null | undefined; start: string; end?: string | undefined };

/**
 * The push half of an offer: a `waitlist.offered` domain event carrying the entry's session id, so
 * the conversation's push subscribers (SSE) see the offer at once. Ids and times only, no contact.
 */
async function pushOffer(ctx: ToolContext, call: ToolCall, input: { entry: EntryView; args: OfferArgs; detail: { holdId: string; expiresAt: string; start: string; end: string } }): Promise<ActionResult> {
  const { entry, args, detail } = input;
  if (!entry.sessionId) return { outcome: 'skipped', reason: 'the waitlist entry has no conversation to push to' };
  const pushed = await ctx.gate.run(
    call,
    { tenantId: call.tenantId, tool: 'offer_waitlist_slot', args, channel: 'push', subject: { bookingId: `waitlist:${entry.id}:${args.start}:push` }, entityId: entry.id, sessionId: entry.sessionId },
    async () => {
      const eventId = await recordEvent(call.client, {
        tenantId: call.tenantId,
        type: 'waitlist.offered',
        subjectId: entry.id,
        sessionId: entry.sessionId,
        payload: { waitlistEntryId: entry.id, holdId: detail.holdId, serviceId: args.serviceId, start: detail.start, end: detail.end, expiresAt: detail.expiresAt },
        occurredAt: ctx.clock.now(),
      });
      return { outcome: 'done', detail: { eventId } };
    },
  );
  return pushed.outcome === 'denied' ? { outcome: 'skipped', reason: pushed.reason } : pushed;
}

/**
 * offer_waitlist_slot: a slot opened. The first waiting entry (oldest) whose service, resource and
 * window match gets a hold of its own and is told by SMS and email. Entries are locked with SKIP
 * LOCKED so two workers handling two openings never offer to the same person at once.
 */
export async function offerWaitlistSlot(
  ctx: ToolContext,
  call: ToolCall,
  args: OfferArgs,
): Promise<ActionResult[]> {
  // A slot that has started (a late cancellation, a replayed event) is no use to anyone.
  if (Date.parse(args.start) <= ctx.clock.now().getTime()) return [{ outcome: 'skipped', reason: 'the slot is in the past' }];
  // Skipped: entries offered this very slot before (their offer lapsed or they let it go), and
  // customers who already booked this service inside their window (found by email or phone).
  const offered = await call.client.query<{ entryId: string }>('SELECT waitlist_entry_id AS "entryId" FROM waitlist_offers WHERE tenant_id = $1 AND slot_start = $2', [call.tenantId, args.start]);
  const entry = await lockWaitlistMatch(call.client, {
    tenantId: call.tenantId,
    serviceId: args.serviceId,
    resourceId: args.resourceId ?? null,
    start: args.start,
    skipEntryIds: offered.rows.map((row) => row.entryId),
  });
  if (!entry) return [{ outcome: 'skipped', reason: 'nobody on the waitlist matches this slot' }];
  const clientKey = (entry.clientEmail ? normalizeEmail(entry.clientEmail) : null) ?? (entry.clientPhone ? normalizePhone(entry.clientPhone) : null) ?? undefined;
  const sessionId = await offerSessionOf(entry, { client: call.client, tenantId: call.tenantId, now: ctx.clock.now() });
  // The offer is the limited contact (per client and per waitlist entry); its push and messages are
  // then authorised per channel.
  let offerUrl: string | null = null;
  const offer = await ctx.gate.run(
    call,
    { tenantId: call.tenantId, tool: 'offer_waitlist_slot', args, subject: { bookingId: entry.id, clientKey }, entityId: entry.id, sessionId },
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
          sessionId,
          ttlSeconds: offerHoldSeconds,
        });
      } catch (error) {
        return { outcome: 'skipped', reason: `could not hold the slot: ${error instanceof Error ? error.message : String(error)}` };
      }
      await call.client.query('INSERT INTO waitlist_offers (tenant_id, waitlist_entry_id, hold_id, slot_start) VALUES ($1, $2, $3, $4)', [call.tenantId, entry.id, hold.id, args.start]);
      await markEntryOffered(call.client, { tenantId: call.tenantId, entryId: entry.id, holdId: hold.id });
      // Settles the offer when the hold's time is up, whether or not anything sweeps lapsed holds.
      await addJob(call.client, { task: offerLapseTask, payload: { tenantId: call.tenantId, holdId: hold.id }, runAt: new Date(hold.expiresAt), jobKey: `${offerLapseTask}:${hold.id}` });
      // Kept out of the action's detail: the recorded actions must not carry the bearer token.
      offerUrl = await offerLinkOf(ctx, call, { entry, holdId: hold.id, expiresAt: hold.expiresAt });
      return { outcome: 'done', detail: { holdId: hold.id, expiresAt: hold.expiresAt, start: hold.start, end: hold.end } };
    },
  );
  if (offer.outcome !== 'done') return [offer.outcome === 'denied' ? { outcome: 'skipped', reason: offer.reason } : offer];
  const detail = offer.detail as { holdId: string; expiresAt: string; start: string; end: string };
  const push = await pushOffer(ctx, call, { entry, args, detail });
  const notices = await queueNotification(ctx, call, {
    tool: 'offer_waitlist_slot',
    args,
    isTransactional: false,
    sessionId,
    template: 'waitlist_offer',
    locale: localeOf(entry.tenantSettings),
    data: { businessName: entry.businessName, clientName: entry.clientName, serviceName: entry.serviceName, start: detail.start, end: detail.end, timeZone: entry.timeZone, expiresAt: detail.expiresAt, offerUrl },
    email: entry.clientEmail,
    phone: entry.clientPhone,
    key: `waitlist:${entry.id}:${args.start}`,
    subjectId: entry.id,
    // An offer is worth sending only while its hold keeps the slot; quiet hours must not hold it longer.
    sendBefore: new Date(detail.expiresAt),
  });
  return [offer, push, ...notices];
}
