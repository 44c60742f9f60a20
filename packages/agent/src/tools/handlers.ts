import type { Appointment, ChangeWindowDecision, Verification } from '@gomomo/core';
import { DateTime } from 'luxon';
import { formatSlotLabel, minutesOfDay } from '../format/time.js';
import { describeChangeRefusal } from '../executor/failures.js';
import type { ExecutorDeps, ToolScope } from '../executor/types.js';
import type { TurnStatus } from '../types.js';
import type { ChatToolArgs, ChatToolName } from './definitions.js';
import { enforceHoldQuota, recordHoldOrigin } from './hold-quota.js';

/** Slots shown to a model at most; more would only cost tokens and tempt it to list them all. */
const maxSlotsInResult = 40;

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

type Handler<N extends ChatToolName> = (args: ChatToolArgs<N>, context: { scope: ToolScope; deps: ExecutorDeps }) => Promise<Record<string, unknown>>;

function verification(args: { email?: string | undefined; phone?: string | undefined }): Verification {
  // The guardrail already required one of them; chat can never claim staff authority.
  return args.email ? { email: args.email } : { phone: args.phone! };
}

function describeAppointment(appointment: Appointment): Record<string, unknown> {
  return {
    reference: appointment.reference,
    serviceName: appointment.serviceName,
    with: appointment.resourceName,
    start: appointment.start,
    end: appointment.end,
    label: formatSlotLabel(appointment.start, appointment.timeZone),
    status: appointment.status,
  };
}

/** Whether a looked-up booking may still be cancelled or moved, and if not why (for the model and the brain). */
function describeChangeWindow(change: ChangeWindowDecision): Record<string, unknown> {
  if (change.allowed) return { canChange: true };
  return { canChange: false, changeRefusal: change.code, changeDeadlineHours: change.deadlineHours, changeRule: describeChangeRefusal(change.code, change.reason).message };
}

function formatPrice(cents: number | null, currency: string | null): string | null {
  if (cents === null) return null;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD' }).format(cents / 100);
}

/**
 * Releases this conversation's older holds once a new one is won: one live hold per conversation.
 * The list comes from the turn's scope (read when the turn opened), so this costs no extra read.
 */
async function releaseOtherHolds(holdId: string, context: { scope: ToolScope; deps: ExecutorDeps }): Promise<void> {
  const { scope, deps } = context;
  for (const { id } of scope.holds.filter((h) => h.id !== holdId)) {
    await deps.engine.releaseHold({ tenantId: scope.tenant.id, holdId: id, sessionId: scope.session.id }).catch(() => undefined);
  }
  scope.holds = scope.holds.filter((h) => h.id === holdId);
}

/**
 * The turn's record of a booking this conversation made: the ledger (the claim check), the live
 * event, the contact learned. Shared by a fresh confirm and by a retried one (see executor.ts).
 */
export function noteConfirmed(appointment: Appointment, context: { args: ChatToolArgs<'confirm_booking'>; scope: ToolScope }): Record<string, unknown> {
  const { args, scope } = context;
  scope.holds = scope.holds.filter((h) => h.id !== args.holdId);
  scope.session.contact = { name: args.name, email: args.email ?? scope.session.contact.email, phone: args.phone ?? scope.session.contact.phone };
  scope.ledger.created.push(appointment.reference);
  scope.ledger.references.push(appointment.reference);
  scope.emit({ type: 'booking', action: 'created', reference: appointment.reference, start: appointment.start, end: appointment.end, serviceName: appointment.serviceName });
  return describeAppointment(appointment);
}

/** What each tool does with the engine, once parsing, policy and guardrails let it through. */
export const handlers: { [N in ChatToolName]: Handler<N> } = {
  list_services: async (_args, { scope, deps }) => {
    const services = await deps.engine.listServices(scope.tenant.id);
    return {
      services: services.map((s) => ({ id: s.id, name: s.name, description: s.description, durationMinutes: s.durationMinutes, price: formatPrice(s.priceCents, s.currency) })),
    };
  },
  check_availability: async (args, { scope, deps }) => {
    const availability = await deps.engine.getAvailability({ tenantId: scope.tenant.id, serviceId: args.serviceId, from: args.from, to: args.to ?? args.from });
    const after = args.after ? toMinutes(args.after) : 0;
    const before = args.before ? toMinutes(args.before) : 24 * 60;
    const slots = availability.slots
      .filter((slot) => {
        const minutes = minutesOfDay(slot.start, availability.timeZone);
        return minutes >= after && minutes < before;
      })
      .map((slot) => ({ start: slot.start, end: slot.end, label: formatSlotLabel(slot.start, availability.timeZone) }));
    return {
      serviceId: args.serviceId,
      timeZone: availability.timeZone,
      slots: slots.slice(0, maxSlotsInResult),
      ...(slots.length > maxSlotsInResult ? { moreSlots: slots.length - maxSlotsInResult, note: 'Only the first slots are listed; narrow the dates to see others.' } : {}),
    };
  },
  hold_slot: async (args, context) => {
    const { scope, deps } = context;
    // Holds are scarce: the quota is checked first, and who asked is recorded once the hold is won.
    const { ttlSeconds } = await enforceHoldQuota(context, args.serviceId);
    const hold = await deps.engine.hold({ tenantId: scope.tenant.id, serviceId: args.serviceId, start: args.start, sessionId: scope.session.id, ...(ttlSeconds ? { ttlSeconds } : {}) });
    await recordHoldOrigin(context, hold.id);
    scope.holds.push({ id: hold.id, expiresAt: new Date(hold.expiresAt) });
    await releaseOtherHolds(hold.id, context);
    scope.emit({ type: 'hold', holdId: hold.id, start: hold.start, end: hold.end, expiresAt: hold.expiresAt });
    return { holdId: hold.id, start: hold.start, end: hold.end, label: formatSlotLabel(hold.start, scope.tenant.timeZone), expiresAt: hold.expiresAt };
  },
  confirm_booking: async (args, { scope, deps }) => {
    const client = { name: args.name, email: args.email, phone: args.phone };
    const appointment = await deps.engine.confirm({ tenantId: scope.tenant.id, holdId: args.holdId, sessionId: scope.session.id, client, notes: args.notes });
    return noteConfirmed(appointment, { args, scope });
  },
  lookup_booking: async (args, { scope, deps }) => {
    const verify = verification(args);
    const appointment = await deps.engine.lookup({ tenantId: scope.tenant.id, reference: args.reference, verify });
    scope.ledger.references.push(appointment.reference);
    if (appointment.status !== 'booked') return describeAppointment(appointment);
    // Say up front whether it may still change (core's one decision), so no one offers what cannot be done.
    const change = await deps.engine.checkChange({ tenantId: scope.tenant.id, reference: appointment.reference, verify });
    return { ...describeAppointment(appointment), ...describeChangeWindow(change) };
  },
  reschedule_booking: async (args, { scope, deps }) => {
    const appointment = await deps.engine.reschedule({ tenantId: scope.tenant.id, reference: args.reference, verify: verification(args), newStart: args.newStart });
    scope.ledger.rescheduled.push(appointment.reference);
    scope.ledger.references.push(appointment.reference);
    scope.emit({ type: 'booking', action: 'rescheduled', reference: appointment.reference, start: appointment.start, end: appointment.end, serviceName: appointment.serviceName });
    return describeAppointment(appointment);
  },
  cancel_booking: async (args, { scope, deps }) => {
    const appointment = await deps.engine.cancel({ tenantId: scope.tenant.id, reference: args.reference, verify: verification(args), reason: args.reason });
    scope.ledger.cancelled.push(appointment.reference);
    scope.ledger.references.push(appointment.reference);
    scope.emit({ type: 'booking', action: 'cancelled', reference: appointment.reference, start: appointment.start, end: appointment.end, serviceName: appointment.serviceName });
    return describeAppointment(appointment);
  },
  join_waitlist: async (args, { scope, deps }) => {
    const zone = scope.tenant.timeZone;
    const windowStart = DateTime.fromISO(args.from, { zone }).toISO()!;
    const windowEnd = DateTime.fromISO(args.to ?? args.from, { zone }).plus({ days: 1 }).toISO()!;
    // Idempotent per conversation and window, like confirming: a second "yes" after a lost reply
    // finds the entry this conversation already made instead of adding another.
    const waiting = await deps.engine.listWaitlist({ tenantId: scope.tenant.id, serviceId: args.serviceId, status: 'waiting' });
    const same = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);
    const existing = waiting.find((e) => e.sessionId === scope.session.id && same(e.windowStart, windowStart) && same(e.windowEnd, windowEnd));
    const entry =
      existing ??
      (await deps.engine.joinWaitlist({
        tenantId: scope.tenant.id,
        serviceId: args.serviceId,
        windowStart,
        windowEnd,
        client: { name: args.name, email: args.email, phone: args.phone },
        sessionId: scope.session.id,
      }));
    scope.ledger.waitlisted.push(entry.id);
    scope.emit({ type: 'waitlist', entryId: entry.id });
    return { entryId: entry.id, windowStart: entry.windowStart, windowEnd: entry.windowEnd, status: entry.status };
  },
};

/** The status a live indicator shows while a tool runs. */
export const toolStatus: Record<ChatToolName, TurnStatus> = {
  list_services: 'thinking',
  check_availability: 'checking_availability',
  hold_slot: 'holding',
  confirm_booking: 'booking',
  lookup_booking: 'thinking',
  reschedule_booking: 'rescheduling',
  cancel_booking: 'cancelling',
  join_waitlist: 'joining_waitlist',
};
