import { normalizeEmail, normalizePhone } from '@gomomo/channels';
import { findSessionContact, hasSessionBookedSince, readHoldView, type SessionContact } from '@gomomo/core';
import type { ActionResult } from '../policy/gate.js';
import { localeOf } from './appointment.js';
import type { ToolCall, ToolContext } from './context.js';
import { queueNotification } from './notify.js';

/** Contact details the session left anywhere: a booking, a waitlist entry (core's), or the conversation. */
async function findContact(call: ToolCall, sessionId: string): Promise<SessionContact | null> {
  const found = await findSessionContact(call.client, { tenantId: call.tenantId, sessionId });
  if (found) return found;
  // The agent's conversations table belongs to another package's migration range; read it only if present.
  const { rows: present } = await call.client.query<{ ok: boolean }>(`SELECT to_regclass('agent_sessions') IS NOT NULL AS ok`);
  if (!present[0]?.ok) return null;
  const { rows: sessions } = await call.client.query<{ name: string | null; email: string | null; phone: string | null }>(
    'SELECT contact_name AS name, contact_email AS email, contact_phone AS phone FROM agent_sessions WHERE tenant_id = $1 AND id = $2',
    [call.tenantId, sessionId],
  );
  const session = sessions[0];
  if (!session || (!session.email && !session.phone)) return null;
  return { name: session.name ?? '', email: session.email, phone: session.phone };
}

/**
 * send_hold_followup: a hold lapsed without a booking. One follow-up per conversation, only when we
 * have contact details, and not if the conversation booked after all.
 */
export async function sendHoldFollowup(ctx: ToolContext, call: ToolCall, args: { holdId: string }): Promise<ActionResult[]> {
  const hold = await readHoldView(call.client, { tenantId: call.tenantId, holdId: args.holdId });
  if (!hold) return [{ outcome: 'skipped', reason: 'hold not found' }];
  if (hold.status === 'confirmed') return [{ outcome: 'skipped', reason: 'the hold was booked' }];
  // Any booking the conversation made since it took the hold (another slot, or one since
  // cancelled): it got what it came for, so "your hold lapsed" would be noise. Measured from when the
  // hold was taken, not from the slot's start, which may be weeks later.
  if (await hasSessionBookedSince(call.client, { tenantId: call.tenantId, sessionId: hold.sessionId, since: hold.createdAt })) {
    return [{ outcome: 'skipped', reason: 'the conversation booked another slot' }];
  }
  const contact = await findContact(call, hold.sessionId);
  // Nothing to send without contact details, so nothing to authorise either.
  if (!contact) return [{ outcome: 'skipped', reason: 'no contact details for this conversation' }];
  // The follow-up itself is the limited contact: policy counts it per client (and per hold) and
  // enforces the cooldown between follow-ups; the messages it sends are then authorised per channel.
  const clientKey = (contact.email ? normalizeEmail(contact.email) : null) ?? (contact.phone ? normalizePhone(contact.phone) : null) ?? undefined;
  const followup = await ctx.gate.run(
    call,
    { tenantId: call.tenantId, tool: 'send_hold_followup', args, subject: { bookingId: hold.id, clientKey }, entityId: hold.id, sessionId: hold.sessionId },
    async () => ({ outcome: 'done' }),
  );
  if (followup.outcome === 'denied') return [{ outcome: 'skipped', reason: followup.reason }];
  return queueNotification(ctx, call, {
    tool: 'send_hold_followup',
    args,
    isTransactional: false,
    sessionId: hold.sessionId,
    template: 'hold_followup',
    locale: localeOf(hold.tenantSettings),
    data: {
      businessName: hold.businessName,
      clientName: contact.name || (localeOf(hold.tenantSettings) === 'es' ? 'hola' : 'there'),
      serviceName: hold.serviceName,
      start: hold.start.toISOString(),
      end: hold.end.toISOString(),
      timeZone: hold.timeZone,
    },
    email: contact.email,
    phone: contact.phone,
    // One follow-up per conversation, however many holds it let lapse.
    key: `session:${hold.sessionId}:hold_followup`,
    subjectId: hold.id,
    // "That time is still open" means nothing once the slot has begun.
    sendBefore: hold.start,
    // Checked again when sent: a follow-up held for quiet hours must not reach someone who booked meanwhile.
    aboutHold: { holdId: hold.id },
  });
}
