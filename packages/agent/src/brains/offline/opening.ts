import { DateTime } from 'luxon';
import { formatDay, formatMinutes } from '../../format/time.js';
import type { OpeningHours } from '../types.js';
import type { Ctx } from './state.js';
import type { TimeRequest } from './understand-time.js';

const weekdayNames = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function toMinutes(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** The last day a customer can book or wait for: today plus the tenant's lookahead. */
export function lastBookableDay(ctx: Ctx): string {
  const zone = ctx.turn.tenant.timeZone;
  return DateTime.fromJSDate(ctx.turn.now, { zone }).plus({ days: ctx.turn.tenant.lookaheadDays }).toISODate()!;
}

/** Whether a wish falls after the booking window (lookahead), with the reply that says so. */
export function describeBeyondWindow(ctx: Ctx, when: TimeRequest): string | null {
  if (!when.date) return null;
  const last = lastBookableDay(ctx);
  if (when.date <= last) return null;
  return `${formatDay(when.date, ctx.turn.tenant.timeZone)} is further ahead than we take bookings: the calendar is open up to ${formatDay(last, ctx.turn.tenant.timeZone)}.`;
}

/**
 * Names a closed day or a closed hour plainly ("We're closed on Sundays."), and what to search
 * instead: the next days for a closed day, the same day without the time for a closed hour. Null
 * when the business is open at the wish.
 */
export async function describeClosed(ctx: Ctx, when: TimeRequest): Promise<{ text: string; instead: TimeRequest } | null> {
  if (!when.date || (when.dateTo && when.dateTo !== when.date)) return null;
  const zone = ctx.turn.tenant.timeZone;
  const hours: OpeningHours[] = await ctx.turn.readOpeningHours();
  if (hours.length === 0) return null;
  const day = DateTime.fromISO(when.date, { zone });
  const spans = hours.filter((h) => h.weekday === day.weekday);
  if (spans.length === 0) {
    const next = day.plus({ days: 1 });
    return {
      text: `We're closed on ${weekdayNames[day.weekday]}s, so ${formatDay(when.date, zone)} isn't possible.`,
      instead: { date: next.toISODate()!, dateTo: next.plus({ days: 6 }).toISODate()! },
    };
  }
  const minutes = when.exactMinutes;
  if (minutes === undefined) return null;
  const isOpen = spans.some((h) => minutes >= toMinutes(h.opens) && minutes < toMinutes(h.closes));
  if (isOpen) return null;
  const open = spans.map((h) => `${formatMinutes(toMinutes(h.opens))}–${formatMinutes(toMinutes(h.closes))}`).join(' and ');
  return { text: `We're closed at ${formatMinutes(minutes)}: on ${weekdayNames[day.weekday]}s we're open ${open}.`, instead: { date: when.date } };
}

/** "We're next open Monday, March 9, 9:00 AM–5:00 PM." from the weekly hours, or '' when none. */
export function describeNextOpen(hours: OpeningHours[], ctx: Ctx): string {
  const zone = ctx.turn.tenant.timeZone;
  const today = DateTime.fromJSDate(ctx.turn.now, { zone }).startOf('day');
  for (let i = 1; i <= 7; i++) {
    const day = today.plus({ days: i });
    const spans = hours.filter((h) => h.weekday === day.weekday);
    if (spans.length > 0) return ` We're next open ${formatDay(day.toISODate()!, zone)}, ${spans.map((h) => `${formatMinutes(toMinutes(h.opens))}–${formatMinutes(toMinutes(h.closes))}`).join(' and ')}.`;
  }
  return '';
}
