import { systemClock, type Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { Availability, AvailabilityQuery } from '../availability/types.js';
import type {
  Appointment,
  CancelInput,
  ConfirmInput,
  Hold,
  HoldInput,
  ListAppointmentsInput,
  LookupInput,
  RescheduleInput,
  Verification,
} from '../bookings/types.js';
import type { ChangeWindowDecision } from '../bookings/change-window.js';
import { checkChange } from '../bookings/check-change.js';
import type { JoinWaitlistInput, WaitlistEntry, WaitlistStatus } from '../waitlist/types.js';
import type { Resource, Service, Tenant } from '../tenants/types.js';
import { getTenant, listResources, listServices } from '../tenants/tenants.js';
import { createCatalogCache } from '../tenants/catalog-cache.js';
import { createHoursCache } from '../availability/hours-cache.js';
import { createAnswerCache } from '../availability/answer-cache.js';
import type { EngineContext } from './context.js';
import type { BusyIndex } from '../availability/busy-index.js';
import { getAvailability } from '../availability/get-availability.js';
import { cancelAppointment, confirmHold, getAppointment, holdSlot, listAppointments, lookupAppointment, releaseHold, rescheduleAppointment } from '../bookings/bookings.js';
import { expireHolds } from '../bookings/expire-holds.js';
import { joinWaitlist, listWaitlist } from '../waitlist/waitlist.js';

export interface BookingEngineOptions {
  pool: Pool;
  /** Where "now" comes from; tests pass a ManualClock. Default: the wall clock. */
  clock?: Clock;
  /**
   * How long availability may reuse a tenant's settings and services (and, with a `busyIndex`, its
   * hours and date overrides), in ms (default 0: always read). A busy host sets about 1000;
   * bookings never rely on it.
   */
  catalogCacheMs?: number;
  /**
   * Busy time from memory for availability (`createBusyIndex`); the caller feeds it the domain-event
   * notifications (`notify`, and `reset` after a reconnect). Default: read from Postgres per query.
   */
  busyIndex?: BusyIndex;
}

export type { EngineContext } from './context.js';

/**
 * The booking engine, bound to a pool and a clock. Every method runs in one transaction scoped to
 * its tenant, validates its input (`VALIDATION` naming the field), and throws only `BookingError`.
 */
export interface BookingEngine {
  readonly pool: Pool;
  readonly clock: Clock;
  getTenant(tenantId: string): Promise<Tenant>;
  listServices(tenantId: string): Promise<Service[]>;
  listResources(tenantId: string): Promise<Resource[]>;
  /** Open slots of a service over a date range, in the tenant's zone. */
  getAvailability(query: AvailabilityQuery): Promise<Availability>;
  /** Claims a slot for a session for the hold TTL. `SLOT_UNAVAILABLE` when taken or not bookable. */
  hold(input: HoldInput): Promise<Hold>;
  /** Turns a live hold of the same session into an appointment; the slot is never free in between. */
  confirm(input: ConfirmInput): Promise<Appointment>;
  /** Moves an appointment; the old time is freed only if the new one is won. */
  reschedule(input: RescheduleInput): Promise<Appointment>;
  cancel(input: CancelInput): Promise<Appointment>;
  /** Whether the booking could be cancelled or moved now (started? inside its change deadline?), changing nothing. */
  checkChange(input: { tenantId: string; reference: string; verify: Verification }): Promise<ChangeWindowDecision>;
  /** A booking by reference, if the email or phone matches (`CONTACT_MISMATCH` otherwise). */
  lookup(input: LookupInput): Promise<Appointment>;
  /** Gives a hold back before it lapses. */
  releaseHold(input: { tenantId: string; holdId: string; sessionId: string }): Promise<Hold>;
  /** Staff views: no contact check; scoped to the tenant. */
  getAppointment(input: { tenantId: string; reference: string }): Promise<Appointment>;
  listAppointments(input: ListAppointmentsInput): Promise<{ appointments: Appointment[]; nextCursor: string | null }>;
  joinWaitlist(input: JoinWaitlistInput): Promise<WaitlistEntry>;
  listWaitlist(input: { tenantId: string; serviceId?: string; status?: WaitlistStatus }): Promise<WaitlistEntry[]>;
  /** Releases every lapsed hold (all tenants) and records `hold.expired`; returns how many. For a sweeper job. */
  expireHolds(): Promise<number>;
}

/** Binds the booking engine to a pool and a clock. */
export function createBookingEngine(options: BookingEngineOptions): BookingEngine {
  const ctx: EngineContext = {
    pool: options.pool,
    clock: options.clock ?? systemClock,
    catalog: createCatalogCache(options.catalogCacheMs ?? 0),
    hours: createHoursCache(options.catalogCacheMs ?? 0),
    ...((options.catalogCacheMs ?? 0) > 0 ? { answers: createAnswerCache() } : {}),
    busyIndex: options.busyIndex,
  };
  return {
    pool: ctx.pool,
    clock: ctx.clock,
    getTenant: (tenantId) => getTenant(ctx.pool, tenantId),
    listServices: (tenantId) => listServices(ctx.pool, tenantId),
    listResources: (tenantId) => listResources(ctx.pool, tenantId),
    getAvailability: (query) => getAvailability(ctx, query),
    hold: (input) => holdSlot(ctx, input),
    confirm: (input) => confirmHold(ctx, input),
    reschedule: (input) => rescheduleAppointment(ctx, input),
    cancel: (input) => cancelAppointment(ctx, input),
    checkChange: (input) => checkChange(ctx, input),
    lookup: (input) => lookupAppointment(ctx, input),
    releaseHold: (input) => releaseHold(ctx, input),
    getAppointment: (input) => getAppointment(ctx, input),
    listAppointments: (input) => listAppointments(ctx, input),
    joinWaitlist: (input) => joinWaitlist(ctx, input),
    listWaitlist: (input) => listWaitlist(ctx, input),
    expireHolds: () => expireHolds(ctx),
  };
}
