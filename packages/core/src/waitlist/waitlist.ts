import { DateTime } from 'luxon';
import { z } from 'zod';
import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { BookingError } from '../errors.js';
import { recordEvent } from '../events/events.js';
import { readTenant } from '../tenants/tenants.js';
import { isYearInRange, parseInput, uuidSchema } from '../validation/parse.js';
import { clientSchema, sessionIdSchema } from '../bookings/schemas.js';
import { findService } from '../bookings/services.js';
import { toZonedIso } from '../bookings/format.js';
import type { JoinWaitlistInput, WaitlistEntry, WaitlistStatus } from './types.js';

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** The longest window a customer may wait for; an open-ended wish is not something to act on. */
const maxWindowDays = 366;

/** "2026-12-01" (a day in the tenant's zone) or an ISO instant with an offset. */
const boundSchema = z
  .string()
  .max(40)
  .refine((value) => (dateOnly.test(value) ? DateTime.fromISO(value).isValid : DateTime.fromISO(value, { setZone: true }).isValid && /(Z|[+-]\d\d:?\d\d)$/i.test(value)), {
    message: 'must be a date like 2026-12-01 or an ISO 8601 instant with an offset',
  })
  .refine((value) => isYearInRange(DateTime.fromISO(value, { zone: 'UTC' }).year), { message: 'must be a date between the years 1900 and 9999' });

const joinSchema = z.object({
  tenantId: uuidSchema,
  serviceId: uuidSchema,
  resourceId: uuidSchema.optional(),
  windowStart: boundSchema,
  windowEnd: boundSchema,
  client: clientSchema,
  sessionId: sessionIdSchema.optional(),
});

const listSchema = z.object({
  tenantId: uuidSchema,
  serviceId: uuidSchema.optional(),
  status: z.enum(['waiting', 'offered', 'booked', 'removed']).optional(),
});

/** A date bound covers that whole local day: a start is its first instant, an end its last (exclusive next midnight). */
function resolveBound(value: string, zone: string, edge: 'start' | 'end'): Date {
  if (!dateOnly.test(value)) return DateTime.fromISO(value, { setZone: true }).toJSDate();
  const day = DateTime.fromISO(value, { zone }).startOf('day');
  return (edge === 'start' ? day : day.plus({ days: 1 })).toJSDate();
}

interface WaitlistRow {
  id: string;
  tenantId: string;
  serviceId: string;
  resourceId: string | null;
  windowStart: Date;
  windowEnd: Date;
  clientName: string;
  clientEmail: string | null;
  clientPhone: string | null;
  sessionId: string | null;
  status: WaitlistStatus;
  createdAt: Date;
  timeZone: string;
}

const waitlistColumns = `w.id, w.tenant_id AS "tenantId", w.service_id AS "serviceId", w.resource_id AS "resourceId",
  w.window_start AS "windowStart", w.window_end AS "windowEnd", w.client_name AS "clientName", w.client_email AS "clientEmail",
  w.client_phone AS "clientPhone", w.session_id AS "sessionId", w.status, w.created_at AS "createdAt"`;

function toEntry(row: WaitlistRow): WaitlistEntry {
  const zone = row.timeZone;
  return {
    id: row.id,
    tenantId: row.tenantId,
    serviceId: row.serviceId,
    resourceId: row.resourceId,
    windowStart: toZonedIso(row.windowStart, zone),
    windowEnd: toZonedIso(row.windowEnd, zone),
    client: { name: row.clientName, email: row.clientEmail, phone: row.clientPhone },
    sessionId: row.sessionId,
    status: row.status,
    createdAt: toZonedIso(row.createdAt, zone),
  };
}

/**
 * Puts a customer on the waitlist of a service (optionally one resource) for a window of time;
 * records `waitlist.joined` so the autonomy side can offer slots that open in that window.
 */
export async function joinWaitlist(ctx: EngineContext, input: JoinWaitlistInput): Promise<WaitlistEntry> {
  const data = parseInput(joinSchema, input);
  return withTenant(ctx.pool, data.tenantId, async (client) => {
    const now = ctx.clock.now();
    const tenant = await readTenant(client, data.tenantId);
    const service = await findService(client, { tenant, serviceId: data.serviceId });
    if (data.resourceId !== undefined && !service.resourceIds.includes(data.resourceId)) {
      throw new BookingError('NOT_FOUND', `Resource ${data.resourceId} does not exist or cannot perform "${service.name}"`, { field: 'resourceId' });
    }
    const windowStart = resolveBound(data.windowStart, tenant.timeZone, 'start');
    const windowEnd = resolveBound(data.windowEnd, tenant.timeZone, 'end');
    if (windowEnd <= windowStart) throw new BookingError('VALIDATION', 'windowEnd: must be after windowStart', { field: 'windowEnd' });
    if (windowEnd <= now) throw new BookingError('VALIDATION', 'windowEnd: the window is already over', { field: 'windowEnd' });
    if (windowEnd.getTime() - windowStart.getTime() > maxWindowDays * 86_400_000) {
      throw new BookingError('VALIDATION', `windowEnd: a window may span at most ${maxWindowDays} days`, { field: 'windowEnd' });
    }
    const { rows } = await client.query<Omit<WaitlistRow, 'timeZone'>>(
      `INSERT INTO waitlist_entries AS w (tenant_id, service_id, resource_id, window_start, window_end, client_name, client_email, client_phone, session_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${waitlistColumns}`,
      [tenant.id, service.id, data.resourceId ?? null, windowStart, windowEnd, data.client.name, data.client.email ?? null, data.client.phone ?? null, data.sessionId ?? null, now],
    );
    const entry = toEntry({ ...rows[0]!, timeZone: tenant.timeZone });
    await recordEvent(client, {
      tenantId: tenant.id,
      type: 'waitlist.joined',
      subjectId: entry.id,
      sessionId: entry.sessionId,
      payload: { entryId: entry.id, serviceId: entry.serviceId, resourceId: entry.resourceId, windowStart: entry.windowStart, windowEnd: entry.windowEnd },
      occurredAt: now,
    });
    return entry;
  });
}

/** The tenant's waitlist in the order people joined, optionally for one service or status. */
export async function listWaitlist(ctx: EngineContext, input: { tenantId: string; serviceId?: string; status?: WaitlistStatus }): Promise<WaitlistEntry[]> {
  const data = parseInput(listSchema, input);
  return withTenant(
    ctx.pool,
    data.tenantId,
    async (client) => {
      const { rows } = await client.query<WaitlistRow>(
        `SELECT ${waitlistColumns}, t.time_zone AS "timeZone"
           FROM waitlist_entries w JOIN tenants t ON t.id = w.tenant_id
          WHERE w.tenant_id = $1 AND ($2::uuid IS NULL OR w.service_id = $2) AND ($3::text IS NULL OR w.status = $3)
          ORDER BY w.created_at, w.id
          LIMIT 1000`,
        [data.tenantId, data.serviceId ?? null, data.status ?? null],
      );
      return rows.map(toEntry);
    },
    { isolation: 'read committed' },
  );
}
