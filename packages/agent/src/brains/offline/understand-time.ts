// English and Spanish only: the full package loads every locale (about 11 MB more resident memory).
import * as chronoEn from 'chrono-node/en';
import * as chronoEs from 'chrono-node/es';
import { DateTime } from 'luxon';

/** What a customer said about when, reduced to the tenant's calendar. */
export interface TimeRequest {
  /** First day, "2026-03-10", in the tenant's zone. */
  date?: string;
  /** Last day inclusive, for ranges such as "next week". */
  dateTo?: string;
  /** A precise wall-clock time, minutes after midnight. */
  exactMinutes?: number;
  /** Only slots starting at or after this, minutes after midnight. */
  afterMinutes?: number;
  /** Only slots starting before this, minutes after midnight. */
  beforeMinutes?: number;
  /** The customer named a day that has already gone. */
  isPast?: boolean;
}

export interface TimeReference {
  now: Date;
  timeZone: string;
  /** The customer's language: Spanish dates read "el martes a las 10". English by default. */
  lang?: 'en' | 'es' | undefined;
}

const periods: Array<{ pattern: RegExp; after?: number; before?: number }> = [
  { pattern: /\bmorning\b|\bpor la ma[ñn]ana(?![\p{L}])/iu, before: 12 * 60 },
  { pattern: /\bafternoon\b|\bpor la tarde\b/i, after: 12 * 60, before: 17 * 60 },
  { pattern: /\b(evening|tonight)\b|\bpor la noche\b/i, after: 17 * 60 },
];

/**
 * A bare hour in a booking chat is a business hour: "after 3" means 15:00, not 03:00. Hours 1–7
 * without am/pm are read as afternoon; everything else as written.
 */
function toBusinessMinutes(hour: number, minute: number, meridiem: string | undefined): number {
  let h = hour % 24;
  const m = meridiem?.toLowerCase();
  if (m?.startsWith('p') && h < 12) h += 12;
  else if (m?.startsWith('a') && h === 12) h = 0;
  else if (!m && h >= 1 && h <= 7) h += 12;
  return h * 60 + minute;
}

const clockPattern = String.raw`(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?`;

/** Reads "after 3", "before 11am", "in the morning" and strips them so chrono sees only the date. */
function extractBounds(text: string): { rest: string; after?: number; before?: number } {
  let rest = text;
  let after: number | undefined;
  let before: number | undefined;
  const afterMatch = rest.match(new RegExp(String.raw`\b(?:after|from|later than|despu[eé]s de(?: las?)?|a partir de(?: las?)?)\s+${clockPattern}(?:\s+on)?\b`, 'i'));
  if (afterMatch) {
    after = toBusinessMinutes(Number(afterMatch[1]), Number(afterMatch[2] ?? 0), afterMatch[3]);
    rest = rest.replace(afterMatch[0], ' ');
  }
  const beforeMatch = rest.match(new RegExp(String.raw`\b(?:before|earlier than|by|antes de(?: las?)?)\s+${clockPattern}\b`, 'i'));
  if (beforeMatch) {
    before = toBusinessMinutes(Number(beforeMatch[1]), Number(beforeMatch[2] ?? 0), beforeMatch[3]);
    rest = rest.replace(beforeMatch[0], ' ');
  }
  for (const period of periods) {
    if (period.pattern.test(rest)) {
      after ??= period.after;
      before ??= period.before;
      rest = rest.replace(period.pattern, ' ').replace(/\bin the\s+$/i, ' ');
    }
  }
  const bounds: { rest: string; after?: number; before?: number } = { rest };
  if (after !== undefined) bounds.after = after;
  if (before !== undefined) bounds.before = before;
  return bounds;
}

/** "the 14th": the next 14th from today (this month if still ahead, else next month). */
function readOrdinalDay(text: string, today: DateTime): string | undefined {
  const match = text.match(/\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b/i);
  if (!match) return undefined;
  const day = Number(match[1]);
  if (day < 1 || day > 31) return undefined;
  for (let months = 0; months < 3; months++) {
    const month = today.startOf('month').plus({ months });
    if (day > (month.daysInMonth ?? 31)) continue;
    const candidate = month.set({ day });
    if (candidate >= today.startOf('day')) return candidate.toISODate() ?? undefined;
  }
  return undefined;
}

function readWeekRange(text: string, today: DateTime): { date: string; dateTo: string } | undefined {
  if (/\bnext week\b/i.test(text)) {
    const monday = today.startOf('week').plus({ weeks: 1 });
    return { date: monday.toISODate()!, dateTo: monday.plus({ days: 6 }).toISODate()! };
  }
  if (/\bthis week\b/i.test(text)) return { date: today.toISODate()!, dateTo: today.endOf('week').toISODate()! };
  return undefined;
}

const weekdayPattern = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const weekdayNumbers: Record<string, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };

/**
 * Days that have already gone, which chrono's forward reading would silently move ahead: "last
 * Monday", "last week", and a weekday with a day of the month that matches a past date this month
 * ("Tuesday the 3rd" on Thursday the 5th). The date is returned to name it; the caller calls it past.
 */
function readGoneDay(text: string, today: DateTime): string | undefined {
  const last = text.match(/\blast\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday|week)\b/i);
  if (last) {
    const word = last[1]!.toLowerCase();
    if (word === 'week') return today.startOf('week').minus({ weeks: 1 }).toISODate()!;
    const back = ((today.weekday - weekdayNumbers[word]! + 7) % 7) || 7;
    return today.minus({ days: back }).toISODate()!;
  }
  const weekday = text.match(weekdayPattern);
  const ordinal = text.match(/\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b/i);
  if (weekday && ordinal) {
    const day = Number(ordinal[1]);
    if (day < 1 || day > (today.daysInMonth ?? 31)) return undefined;
    const candidate = today.set({ day });
    if (candidate < today.startOf('day') && candidate.weekday === weekdayNumbers[weekday[1]!.toLowerCase()]) return candidate.toISODate()!;
  }
  return undefined;
}

/**
 * Understands the dates and times of a booking chat ("next Tuesday after 3", "the 14th in the
 * morning", "tomorrow at noon") in the tenant's zone, with the injected clock as "now". Returns an
 * empty object when the text says nothing about time.
 */
export function understandTime(text: string, reference: TimeReference): TimeRequest {
  const today = DateTime.fromJSDate(reference.now, { zone: reference.timeZone });
  const { rest, after, before } = extractBounds(text);
  const request: TimeRequest = {};
  if (after !== undefined) request.afterMinutes = after;
  if (before !== undefined) request.beforeMinutes = before;

  const week = readWeekRange(rest, today);
  if (week) return { ...request, ...week };
  const gone = readGoneDay(rest, today);
  if (gone) return { ...request, date: gone, isPast: true };

  // chrono reads wall-clock components relative to this offset, so the machine's zone never matters.
  const ref = { instant: reference.now, timezone: today.offset };
  const chrono = reference.lang === 'es' ? chronoEs : chronoEn;
  const forward = chrono.parse(rest, ref, { forwardDate: true })[0];
  const literal = chrono.parse(rest, ref)[0];
  const ordinal = readOrdinalDay(rest, today);

  if (literal?.start.isCertain('day')) {
    // chrono picks the nearest year for "Dec 20"; a customer without a year means this year or later.
    const year = literal.start.isCertain('year') ? literal.start.get('year')! : today.year;
    const day = DateTime.fromObject({ year, month: literal.start.get('month')!, day: literal.start.get('day')! }, { zone: reference.timeZone });
    // An explicit date that has just gone ("March 3" on March 5, "yesterday") is a mistake to point
    // out, not a wish for next year.
    if (day < today.startOf('day') && day > today.minus({ months: 6 })) request.isPast = true;
  }
  const parsed = request.isPast ? literal : forward;
  if (parsed && (parsed.start.isCertain('day') || parsed.start.isCertain('weekday'))) {
    const year = request.isPast && !parsed.start.isCertain('year') ? today.year : parsed.start.get('year')!;
    request.date = DateTime.fromObject({ year, month: parsed.start.get('month')!, day: parsed.start.get('day')! }).toISODate()!;
  } else if (ordinal) {
    request.date = ordinal;
  }
  if (parsed?.start.isCertain('hour')) {
    const meridiem = parsed.start.isCertain('meridiem') ? (parsed.start.get('meridiem') === 1 ? 'pm' : 'am') : undefined;
    request.exactMinutes = toBusinessMinutes(parsed.start.get('hour')!, parsed.start.get('minute') ?? 0, meridiem);
  }
  return request;
}
