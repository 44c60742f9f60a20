import { createHash, randomBytes } from 'node:crypto';
import { listResourceAppointments, readResourceCalendarContext, withTenant, type Pool, type ResourceAppointment, type ResourceCalendarContext } from '@gomomo/core';
import { ChannelError } from '../../errors.js';
import { buildIcsCalendar, type IcsEvent } from '../build-ics.js';

/** `ics_` + 256 random bits, base64url: unguessable, and recognisable in a leaked-secret scan. */
const tokenPattern = /^ics_[A-Za-z0-9_-]{43}$/;

/** How far back a feed reaches: recent visits stay visible for a month, older ones drop out. */
const pastMs = 30 * 86_400_000;
/** How far ahead: a year covers any booking horizon (at most 365 days). */
const aheadMs = 366 * 86_400_000;
/** Events per feed at most; a resource with more in that window is not a small business. */
const maxEvents = 5_000;

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates the resource's subscription feed, or replaces it: the old URL stops working at once
 * (one secret URL per resource). Returns the token once; only its SHA-256 is stored.
 */
export async function createIcsSubscription(pool: Pool, input: { tenantId: string; resourceId: string }): Promise<{ token: string }> {
  const token = `ics_${randomBytes(32).toString('base64url')}`;
  await withTenant(pool, input.tenantId, async (client) => {
    if (!(await readResourceCalendarContext(client, input))) throw new ChannelError('VALIDATION', 'resourceId: this business has no such resource', { field: 'resourceId' });
    await client.query(
      `INSERT INTO ics_subscriptions (tenant_id, resource_id, token_hash) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, resource_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
      [input.tenantId, input.resourceId, hashOf(token)],
    );
  });
  return { token };
}

/** Revokes the resource's feed URL. False when it had none. */
export async function revokeIcsSubscription(pool: Pool, input: { tenantId: string; resourceId: string }): Promise<boolean> {
  return withTenant(pool, input.tenantId, async (client) => {
    const { rowCount } = await client.query('DELETE FROM ics_subscriptions WHERE tenant_id = $1 AND resource_id = $2', [input.tenantId, input.resourceId]);
    return (rowCount ?? 0) > 0;
  });
}

/** Which resources of a business have a feed URL, and since when (the URL itself is never kept). */
export async function listIcsSubscriptions(pool: Pool, tenantId: string): Promise<{ resourceId: string; createdAt: Date }[]> {
  return withTenant(
    pool,
    tenantId,
    async (client) => (await client.query<{ resourceId: string; createdAt: Date }>('SELECT resource_id AS "resourceId", created_at AS "createdAt" FROM ics_subscriptions WHERE tenant_id = $1 ORDER BY created_at', [tenantId])).rows,
    { isolation: 'read committed' },
  );
}

/** The tenant and resource a token opens, as the owner (the URL names no tenant); null for an unknown or revoked one. */
async function findSubscription(pool: Pool, token: string): Promise<{ tenantId: string; resourceId: string } | null> {
  if (!tokenPattern.test(token)) return null;
  const { rows } = await pool.query<{ tenantId: string; resourceId: string }>({
    name: 'gomomo_ics_subscription_find',
    text: 'SELECT tenant_id AS "tenantId", resource_id AS "resourceId" FROM ics_subscriptions WHERE token_hash = $1',
    values: [hashOf(token)],
  });
  return rows[0] ?? null;
}

/** A subscription feed, ready to serve: the file and its strong validator (RFC 9110 §8.8.3). */
export interface RenderedIcsFeed {
  ics: string;
  etag: string;
}

/**
 * The feed a token opens: the resource's booked appointments from a month ago to a year ahead,
 * each with the reference and the customer's first name (contact details only when the tenant
 * opted in, as for calendar events), a UID stable per appointment and its change sequence.
 * Cancelled appointments are left out, so subscribed calendars drop them. Null for an unknown or
 * revoked token — the caller answers both the same way.
 */
export async function renderIcsSubscription(pool: Pool, input: { token: string; now: Date; refreshMinutes?: number | undefined }): Promise<RenderedIcsFeed | null> {
  const subscription = await findSubscription(pool, input.token);
  if (!subscription) return null;
  const found = await withTenant(pool, subscription.tenantId, async (client) => {
    const context = await readResourceCalendarContext(client, subscription);
    if (!context) return null;
    const now = input.now.getTime();
    const appointments = await listResourceAppointments(client, { ...subscription, from: new Date(now - pastMs), to: new Date(now + aheadMs), limit: maxEvents });
    return { context, appointments };
  });
  if (!found) return null;
  const { context, appointments } = found;
  const ics = buildIcsCalendar(
    { name: `${context.resourceName} · ${context.businessName}`, timeZone: context.timeZone, refreshMinutes: input.refreshMinutes ?? 15 },
    appointments.map((appointment) => eventOf(appointment, context)),
  );
  return { ics, etag: `"${createHash('sha256').update(ics).digest('base64url').slice(0, 32)}"` };
}

function eventOf(appointment: ResourceAppointment, context: ResourceCalendarContext): IcsEvent {
  const firstName = appointment.clientName.trim().split(/\s+/)[0] ?? '';
  const lines = [`Booked through gomomo. Reference ${appointment.reference}.`];
  if (context.isContactSharedWithCalendar) {
    lines.push(`Customer: ${appointment.clientName}`, ...(appointment.clientEmail ? [`Email: ${appointment.clientEmail}`] : []), ...(appointment.clientPhone ? [`Phone: ${appointment.clientPhone}`] : []));
  }
  return {
    uid: `${appointment.id}@gomomo`,
    start: appointment.start.toISOString(),
    end: appointment.end.toISOString(),
    summary: `${appointment.serviceName}: ${firstName} (${appointment.reference})`,
    description: lines.join('\n'),
    sequence: appointment.changeSeq,
    // The last change, not the time of the request: an unchanged feed is byte-identical, so its ETag holds.
    stamp: appointment.updatedAt,
  };
}
