import type { Service } from '@gomomo/core';
import type { OfferedSlot } from '../../types.js';
import type { UpcomingBooking } from '../../system/upcoming-by-phone.js';
import type { BrainTurn } from '../types.js';
import type { TimeRequest } from './understand-time.js';
import type { Understanding } from './understand.js';

export type Flow = 'idle' | 'book' | 'reschedule' | 'cancel' | 'waitlist' | 'lookup';
export type Step = 'service' | 'date' | 'pick' | 'far_confirm' | 'details' | 'confirm' | 'reference' | 'choose_booking' | 'manage_confirm' | 'waitlist_offer' | 'code' | 'intake' | 'same_again' | 'other_staff';

/** A staff member (resource) the customer asked for by way of "the same as last time" or "my usual person". */
export interface StaffChoice {
  id: string;
  name: string;
}

/**
 * The summary the customer is answering, fixed when it is shown: a yes agrees to exactly this
 * booking, time and reference, whatever else the same reply mentions.
 */
/** One intake question as the offline brain asks it (flow-intake.ts). */
export interface IntakeStep {
  key: string;
  kind: 'text' | 'choice' | 'yes_no' | 'date';
  required: boolean;
  question: string;
  choices: string[];
}

export interface PinnedSummary {
  action: 'book' | 'reschedule' | 'cancel';
  /** The booking acted on (reschedule, cancel). */
  reference?: string | undefined;
  /** How that booking was proven to be the customer's when it was found. */
  proof?: { email: string } | { phone: string | undefined } | undefined;
  /** The hold a yes confirms (book). */
  holdId?: string | undefined;
  /** The slot the summary names: the new time (book, reschedule) or the booking's time (cancel). */
  start: string;
  label: string;
}

/** The offline brain's slot filling, stored with the session between turns (JSON). */
export interface OfflineState {
  flow: Flow;
  step: Step | null;
  serviceId?: string | undefined;
  when?: TimeRequest | undefined;
  offered?: OfferedSlot[] | undefined;
  /** Slots beyond the ones offered, for "another time". */
  spare?: OfferedSlot[] | undefined;
  chosen?: OfferedSlot | undefined;
  farConfirmed?: boolean | undefined;
  holdId?: string | undefined;
  /** The hold of a waitlist offer presented in this conversation (see flow-offer.ts). */
  offerHoldId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  reference?: string | undefined;
  booking?: { serviceId: string; serviceName: string; label: string; start: string } | undefined;
  /** The verified phone's upcoming bookings, listed for the customer to choose from (SMS). */
  candidates?: UpcomingBooking[] | undefined;
  /** The booking was chosen from the verified phone's own list: prove ownership with that phone. */
  byVerifiedPhone?: boolean | undefined;
  /** The verified phone's bookings were already looked up in this flow. */
  searchedPhone?: boolean | undefined;
  /** The summary just shown, awaiting a yes or no. */
  pinned?: PinnedSummary | undefined;
  /** The held slot's intake questions and how many are answered (flow-intake.ts). */
  intake?: { holdId: string; questions: IntakeStep[]; next: number } | undefined;
  /** A returning customer was looked for (flow-welcome.ts), so they are welcomed once. */
  welcomed?: boolean | undefined;
  /** "The same as last time" on offer: the service and the time of day. */
  sameAgain?: { serviceId: string; staff?: StaffChoice | undefined; afterMinutes?: number | undefined; beforeMinutes?: number | undefined } | undefined;
  /** The returning customer's preferred staff, for "my usual person" (flow-welcome.ts). */
  usualStaff?: StaffChoice | undefined;
  /** The booking must be with this staff member: only their times are offered and held (flow-staff.ts). */
  staff?: StaffChoice | undefined;
  /** The conversation's language, kept once the customer writes Spanish. */
  lang?: Lang | undefined;
}

/** Languages the offline brain answers in. */
export type Lang = 'en' | 'es';

/** One turn of the offline brain: the turn, what the message says, the state being filled. */
export interface Ctx {
  turn: BrainTurn;
  u: Understanding;
  time: TimeRequest;
  s: OfflineState;
  services: Service[];
}

export function loadState(turn: BrainTurn): OfflineState {
  const stored = turn.state as Partial<OfflineState>;
  const s: OfflineState = { flow: 'idle', step: null, ...stored };
  s.name ??= turn.contact.name ?? undefined;
  s.email ??= turn.contact.email ?? undefined;
  s.phone ??= turn.contact.phone ?? turn.verifiedContact?.phone ?? turn.offeredContact?.phone ?? undefined;
  return s;
}

/** Forgets the slots on offer (a new day, a new service): the next step checks availability again. */
export function resetOffer(s: OfflineState): void {
  s.offered = undefined;
  s.spare = undefined;
  s.chosen = undefined;
  s.farConfirmed = undefined;
  s.pinned = undefined;
  s.step = null;
}

/** Starts a flow afresh, keeping only who the customer is. */
export function startFlow(s: OfflineState, flow: Flow): void {
  const { name, email, phone, lang, welcomed, usualStaff } = s;
  for (const key of Object.keys(s) as Array<keyof OfflineState>) delete s[key];
  Object.assign(s, { flow, step: null, name, email, phone, ...(lang ? { lang } : {}), ...(welcomed ? { welcomed } : {}), ...(usualStaff ? { usualStaff } : {}) });
}

export function serviceOf(ctx: Ctx): Service | undefined {
  return ctx.services.find((service) => service.id === ctx.s.serviceId);
}

export function hasTime(time: TimeRequest): boolean {
  return time.date !== undefined || time.exactMinutes !== undefined || time.afterMinutes !== undefined || time.beforeMinutes !== undefined;
}
