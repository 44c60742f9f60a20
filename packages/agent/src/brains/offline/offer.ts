import { DateTime } from 'luxon';
import { dayOf, formatDay, formatMinutes, minutesOfDay } from '../../format/time.js';
import type { OfferedSlot } from '../../types.js';
import { describeBeyondWindow, describeClosed } from './opening.js';
import { listSlots } from './replies.js';
import { resetOffer, serviceOf, type Ctx } from './state.js';
import type { TimeRequest } from './understand-time.js';

/** Slots offered at once: few enough for an SMS, spread over the window. */
const offerSize = 4;

/** A reply of the offline brain, or null when the step is done and the flow goes on. */
export type Say = string | null;

function spread(slots: OfferedSlot[], count: number): { offered: OfferedSlot[]; spare: OfferedSlot[] } {
  if (slots.length <= count) return { offered: slots, spare: [] };
  const step = slots.length / count;
  const picked = Array.from({ length: count }, (_, i) => slots[Math.floor(i * step)]!);
  return { offered: picked, spare: slots.filter((slot) => !picked.includes(slot)) };
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function describeWhen(when: TimeRequest, zone: string): string {
  const day = when.date ? (when.dateTo && when.dateTo !== when.date ? `between ${formatDay(when.date, zone)} and ${formatDay(when.dateTo, zone)}` : `on ${formatDay(when.date, zone)}`) : 'in the next few days';
  if (when.exactMinutes !== undefined) return `at ${formatMinutes(when.exactMinutes)} ${day}`;
  if (when.afterMinutes !== undefined && when.beforeMinutes !== undefined) return `between ${formatMinutes(when.afterMinutes)} and ${formatMinutes(when.beforeMinutes)} ${day}`;
  if (when.afterMinutes !== undefined) return `after ${formatMinutes(when.afterMinutes)} ${day}`;
  if (when.beforeMinutes !== undefined) return `before ${formatMinutes(when.beforeMinutes)} ${day}`;
  return day;
}

function fits(slot: OfferedSlot, when: TimeRequest, zone: string): boolean {
  const minutes = minutesOfDay(slot.start, zone);
  if (when.afterMinutes !== undefined && minutes < when.afterMinutes) return false;
  if (when.beforeMinutes !== undefined && minutes >= when.beforeMinutes) return false;
  return true;
}

/**
 * Looks up open slots for the wish in `s.when` and either picks the exact one asked for (null: go
 * on and hold it), or offers a few, or says nothing fits and offers the waitlist.
 */
export async function findSlots(ctx: Ctx, serviceId: string): Promise<Say> {
  const { s, turn } = ctx;
  const zone = turn.tenant.timeZone;
  const today = DateTime.fromJSDate(turn.now, { zone });
  const when: TimeRequest = s.when ?? {};
  if (when.isPast) {
    s.when = undefined;
    s.step = 'date';
    return `${when.date ? formatDay(when.date, zone) : 'That day'} has already passed. Which upcoming day would suit you?`;
  }
  const beyond = describeBeyondWindow(ctx, when);
  if (beyond) {
    s.when = undefined;
    s.step = 'date';
    return `${beyond} Which day before then would suit you?`;
  }
  const from = when.date ?? today.toISODate()!;
  const to = when.dateTo ?? (when.date ? when.date : today.plus({ days: 6 }).toISODate()!);
  const bounds = when.exactMinutes === undefined ? { ...(when.afterMinutes !== undefined ? { after: hhmm(when.afterMinutes) } : {}), ...(when.beforeMinutes !== undefined ? { before: hhmm(when.beforeMinutes) } : {}) } : {};
  const result = await turn.callTool('check_availability', { serviceId, from, to, ...bounds, ...(s.staff ? { resourceId: s.staff.id } : {}) });
  if (!result.ok) {
    s.when = undefined;
    s.step = 'date';
    if (result.code === 'GUARDRAIL') return 'I can look at up to two weeks at a time, starting from today. Which day would you like?';
    return "Sorry, I couldn't check the calendar just now. Which day would you like me to try?";
  }
  const all = (result.data.slots as OfferedSlot[]).filter((slot) => !when.date || when.dateTo || dayOf(slot.start, zone) === when.date);
  const exact = when.exactMinutes === undefined ? undefined : all.find((slot) => minutesOfDay(slot.start, zone) === when.exactMinutes);
  if (exact) {
    s.chosen = exact;
    return null;
  }
  // Only when the wish found nothing: is the business shut then? (Opening hours cost a query.)
  const closed = all.length === 0 || when.exactMinutes !== undefined ? await describeClosed(ctx, when) : null;
  if (closed) {
    // Look at the open days instead, and say why: never a waitlist for a day the business is shut.
    s.when = closed.instead;
    const found = await findSlots(ctx, serviceId);
    return found === null ? null : `${closed.text} ${found}`;
  }
  const fitting = all.filter((slot) => fits(slot, when, zone));
  const service = `${serviceOf(ctx)?.name ?? s.booking?.serviceName ?? 'that'}${s.staff ? ` with ${s.staff.name}` : ''}`;
  if (fitting.length === 0 && all.length === 0 && s.staff) {
    // Only this person's times were asked for: say they are not free, never offer someone else's as theirs.
    s.step = 'other_staff';
    return `Sorry, ${s.staff.name} has nothing free for ${serviceOf(ctx)?.name ?? 'that'} ${describeWhen(when, zone)}. Would you like another day with ${s.staff.name}, or someone else?`;
  }
  if (fitting.length === 0 && all.length === 0) {
    s.step = 'waitlist_offer';
    return `Sorry, there's nothing free for ${service} ${describeWhen(when, zone)}. Would you like me to put you on the waitlist for that, or shall we try another day?`;
  }
  const pool = fitting.length > 0 ? fitting : all;
  const nearest = when.exactMinutes !== undefined ? [...pool].sort((a, b) => Math.abs(minutesOfDay(a.start, zone) - when.exactMinutes!) - Math.abs(minutesOfDay(b.start, zone) - when.exactMinutes!)) : pool;
  const { offered, spare } = when.exactMinutes !== undefined ? { offered: nearest.slice(0, offerSize).sort((a, b) => a.start.localeCompare(b.start)), spare: nearest.slice(offerSize) } : spread(pool, offerSize);
  s.offered = offered;
  s.spare = spare;
  s.step = 'pick';
  turn.emit({ type: 'slots', serviceId, slots: offered });
  const intro = fitting.length === 0 || when.exactMinutes !== undefined ? `${describeWhen(when, zone)} isn't available, but these are open for ${service}:` : `Here are open times for ${service} ${describeWhen(when, zone)}:`;
  return `${intro[0]!.toUpperCase()}${intro.slice(1)}\n${listSlots(offered)}\nReply with the number or the time that suits you.`;
}

/** Reads the customer's pick among offered slots: by number, by time ("the 10:30 one"), or "another time". */
export function pickSlot(ctx: Ctx): Say | 'picked' | 'none' {
  const { s, u, time } = ctx;
  const zone = ctx.turn.tenant.timeZone;
  const offered = s.offered ?? [];
  if (u.choice !== null) {
    const slot = offered[u.choice];
    if (!slot) return `Please reply with a number from 1 to ${offered.length}.`;
    s.chosen = slot;
    return 'picked';
  }
  if (time.exactMinutes !== undefined) {
    const slot = offered.find((o) => minutesOfDay(o.start, zone) === time.exactMinutes && (!time.date || dayOf(o.start, zone) === time.date));
    if (slot) {
      s.chosen = slot;
      return 'picked';
    }
    // A time that is not on the list is still a wish to check ("9:30 works"), not a reason to
    // repeat the list: search for it on the same day.
    const { exactMinutes } = time;
    const previous = s.when ?? {};
    resetOffer(s);
    s.when = { ...(previous.date ? { date: previous.date } : {}), ...(previous.dateTo ? { dateTo: previous.dateTo } : {}), exactMinutes };
    return 'none';
  }
  if (u.wantsOther || u.isNo) {
    const spare = s.spare ?? [];
    if (spare.length > 0 && !u.isNo) {
      const { offered: next, spare: rest } = spread(spare, offerSize);
      s.offered = next;
      s.spare = rest;
      ctx.turn.emit({ type: 'slots', serviceId: s.serviceId ?? s.booking?.serviceId ?? '', slots: next });
      return `Here are some other open times:\n${listSlots(next)}\nReply with the number, or tell me another day.`;
    }
    resetOffer(s);
    s.when = undefined;
    s.step = 'date';
    return 'No problem. Which other day would suit you?';
  }
  return 'none';
}
