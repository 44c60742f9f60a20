import type { Appointment, DomainEvent } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';
import { z } from 'zod';
import { runStaffChange } from '../routers/staff-override.js';
import { instantInputSchema, referenceSchema } from '../routers/schemas.js';
import { depsOf, type OpaqueDeps } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { staffProcedure, whileSignedIn, type StaffContext } from './auth.js';
import { addDays, localDate, startOfLocalDay } from './zoned-day.js';

/** Where a booking came from, read from its conversation id (`sms_…`, `console_…`; none: the API). */
export type BookingChannel = 'chat' | 'sms' | 'voice' | 'console' | 'api';

export function channelOf(sessionId: string | null): BookingChannel {
  if (!sessionId) return 'api';
  if (sessionId.startsWith('sms_')) return 'sms';
  if (sessionId.startsWith('call_') || sessionId.startsWith('voice_')) return 'voice';
  if (sessionId.startsWith('console_')) return 'console';
  return 'chat';
}

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01');
const overrideSchema = z.union([z.literal(true), z.literal(false)], { message: 'must be true or false' }).optional();

function gridBooking(a: Appointment) {
  return {
    reference: a.reference,
    start: a.start,
    end: a.end,
    status: a.status,
    serviceId: a.serviceId,
    serviceName: a.serviceName,
    resourceId: a.resourceId,
    resourceName: a.resourceName,
    client: a.client,
    notes: a.notes,
    channel: channelOf(a.sessionId),
  };
}

/**
 * The grid's columns: the active resources, then any resource that has bookings in view but no
 * longer takes new ones (turned off in the console), so its booked appointments stay visible.
 */
function gridResources(active: { id: string; name: string }[], bookings: Appointment[]): { id: string; name: string }[] {
  const columns = active.map((r) => ({ id: r.id, name: r.name }));
  for (const booking of bookings) {
    if (!columns.some((c) => c.id === booking.resourceId)) columns.push({ id: booking.resourceId, name: booking.resourceName });
  }
  return columns;
}

const bookingEventTypes = ['booking.created', 'booking.rescheduled', 'booking.cancelled'] as const;
type BookingEventType = (typeof bookingEventTypes)[number];

function isBookingEvent(type: DomainEvent['type']): type is BookingEventType {
  return (bookingEventTypes as readonly string[]).includes(type);
}

/** What the grid hears of a booking event: which booking and when, never who (the grid re-reads that behind the session). */
function bookingChangeOf(event: DomainEvent) {
  const payload = event.payload as { reference?: unknown; start?: unknown; end?: unknown };
  return {
    kind: 'booking' as const,
    id: event.id,
    type: event.type as BookingEventType,
    reference: typeof payload.reference === 'string' ? payload.reference : null,
    start: typeof payload.start === 'string' ? payload.start : null,
    channel: channelOf(event.sessionId),
  };
}

/** A console booking change, audited with the staff member who made it (the engine's own events follow). */
async function auditBookingChange(ctx: StaffContext & { deps: OpaqueDeps }, input: { action: string; reference: string; details?: Record<string, unknown> }) {
  await appendAudit(depsOf(ctx).pool, {
    tenantId: ctx.tenantId,
    actor: 'staff',
    channel: 'system',
    action: input.action,
    outcome: 'succeeded',
    subjectId: input.reference,
    details: { staffId: ctx.staffId, reference: input.reference, via: 'console', ...input.details },
    occurredAt: depsOf(ctx).clock.now(),
  });
}

/**
 * Bookings for the console's day/week grid, and changes made on a caller's behalf. They go through
 * the same engine as every channel (slots, holds, deadlines); a deadline override is staff-only and
 * audited before the change (routers/staff-override.ts), and each change is audited with the staff id.
 */
export const consoleBookingsRouter = router({
  /** One day or a week from `from` (the tenant's local date; default today there), by resource. */
  grid: staffProcedure.input(z.object({ from: dateSchema.optional(), days: z.union([z.literal(1), z.literal(7)]).default(1) })).query(async ({ ctx, input }) => {
    const { engine, clock } = depsOf(ctx);
    const [tenant, resources, services] = await Promise.all([engine.getTenant(ctx.tenantId), engine.listResources(ctx.tenantId), engine.listServices(ctx.tenantId)]);
    const from = input.from ?? localDate(clock.now(), tenant.timeZone);
    const to = addDays(from, input.days);
    const bookings: Appointment[] = [];
    let cursor: string | undefined;
    // A week of a busy business is a few hundred bookings; 5 pages of 200 is the most one view shows.
    for (let page = 0; page < 5; page++) {
      const result = await engine.listAppointments({ tenantId: ctx.tenantId, from: startOfLocalDay(from, tenant.timeZone).toISOString(), to: startOfLocalDay(to, tenant.timeZone).toISOString(), limit: 200, cursor });
      bookings.push(...result.appointments);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    return {
      from,
      days: input.days,
      timeZone: tenant.timeZone,
      today: localDate(clock.now(), tenant.timeZone),
      resources: gridResources(resources, bookings),
      services: services.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.durationMinutes, resourceIds: s.resourceIds })),
      bookings: bookings.map(gridBooking),
    };
  }),
  /** Books on behalf of a caller: hold then confirm in the console's own conversation id. */
  create: staffProcedure
    .input(
      z.object({
        serviceId: z.uuid({ message: 'must be a UUID' }),
        start: instantInputSchema,
        resourceId: z.uuid({ message: 'must be a UUID' }).optional(),
        client: z.object({ name: z.string().trim().min(1, 'is required').max(200), email: z.string().max(254).optional(), phone: z.string().max(32).optional() }),
        notes: z.string().max(2000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { engine } = depsOf(ctx);
      const sessionId = `console_${ctx.staffId.replaceAll('-', '')}`;
      const hold = await engine.hold({ tenantId: ctx.tenantId, serviceId: input.serviceId, start: input.start, resourceId: input.resourceId, sessionId });
      const client = { name: input.client.name, ...(input.client.email ? { email: input.client.email } : {}), ...(input.client.phone ? { phone: input.client.phone } : {}) };
      const booked = await engine.confirm({ tenantId: ctx.tenantId, holdId: hold.id, sessionId, client, notes: input.notes });
      await auditBookingChange(ctx, { action: 'booking.create', reference: booked.reference });
      return gridBooking(booked);
    }),
  move: staffProcedure
    .input(z.object({ reference: referenceSchema, newStart: instantInputSchema, resourceId: z.uuid({ message: 'must be a UUID' }).optional(), overrideDeadline: overrideSchema }))
    .mutation(async ({ ctx, input }) => {
      const deps = depsOf(ctx);
      const change = { pool: deps.pool, engine: deps.engine, tenantId: ctx.tenantId, reference: input.reference, action: 'booking.reschedule' as const, overrideDeadline: input.overrideDeadline, now: () => deps.clock.now() };
      const moved = await runStaffChange(change, () => deps.engine.reschedule({ tenantId: ctx.tenantId, ...input, verify: { staff: true } }));
      await auditBookingChange(ctx, { action: 'booking.reschedule', reference: input.reference, details: { newStart: moved.start, overrideDeadline: input.overrideDeadline === true } });
      return gridBooking(moved);
    }),
  cancel: staffProcedure
    .input(z.object({ reference: referenceSchema, reason: z.string().max(500).optional(), overrideDeadline: overrideSchema }))
    .mutation(async ({ ctx, input }) => {
      const deps = depsOf(ctx);
      const change = { pool: deps.pool, engine: deps.engine, tenantId: ctx.tenantId, reference: input.reference, action: 'booking.cancel' as const, overrideDeadline: input.overrideDeadline, now: () => deps.clock.now() };
      const cancelled = await runStaffChange(change, () =>
        deps.engine.cancel({ tenantId: ctx.tenantId, reference: input.reference, reason: input.reason, verify: { staff: true }, overrideDeadline: input.overrideDeadline }),
      );
      await auditBookingChange(ctx, { action: 'booking.cancel', reference: input.reference, details: { overrideDeadline: input.overrideDeadline === true } });
      return gridBooking(cancelled);
    }),
  /**
   * Live bookings grid: every booking the business's bookings gain, move or lose, whatever the
   * channel (widget, SMS, API, console), as it commits. Carries the reference and the new times,
   * not the customer: the console re-reads the grid. `resync` after the server's connection to
   * Postgres came back: events in between may be lost, so re-read. Over SSE with the session cookie;
   * like `console.inbox.events`, a refusal arrives in the event stream.
   */
  events: staffProcedure.subscription(async function* ({ ctx, signal }) {
    const live = depsOf(ctx).hub.subscribeTenant({ tenantId: ctx.tenantId, ...(signal ? { signal } : {}) });
    for await (const message of whileSignedIn(ctx, live)) {
      if (message.kind === 'resync') yield { kind: 'resync' as const };
      else if (message.kind === 'domain' && isBookingEvent(message.event.type)) yield bookingChangeOf(message.event);
    }
  }),
  /** Open slots of a service on a local date (of one resource, when given), for the create and move forms and the settings' previews. */
  slots: staffProcedure.input(z.object({ serviceId: z.uuid({ message: 'must be a UUID' }), date: dateSchema, resourceId: z.uuid({ message: 'must be a UUID' }).optional() })).query(async ({ ctx, input }) => {
    const availability = await depsOf(ctx).engine.getAvailability({ tenantId: ctx.tenantId, serviceId: input.serviceId, from: input.date, to: input.date, resourceId: input.resourceId });
    return availability.slots.map((slot) => ({ start: slot.start, resourceIds: slot.resourceIds }));
  }),
});
