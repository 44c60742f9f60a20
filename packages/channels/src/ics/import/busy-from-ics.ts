import type { ExternalBusyBlock } from '@gomomo/core';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { ChannelError } from '../../errors.js';

/** Occurrences read per recurring event at most: a FREQ=MINUTELY rule must not run the worker out of time. */
const maxOccurrencesPerEvent = 20_000;
/** Blocks kept per feed at most (a year of a busy calendar is a few thousand). */
const maxBlocks = 10_000;

export interface ExpandOptions {
  /** The window busy time matters in (now − a day to the booking horizon). */
  from: Date;
  to: Date;
  /** Where floating and all-day times are placed: the tenant's IANA zone. */
  zone: string;
}

/**
 * The busy time an ICS feed (RFC 5545) describes within [from, to): recurring events expanded
 * with ical.js (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides), all-day events from midnight to
 * midnight in the tenant's zone, and TRANSP:TRANSPARENT or STATUS:CANCELLED events (or single
 * overridden occurrences so marked) left out. Each occurrence is one block, keyed by UID and
 * recurrence id, so an override replaces exactly its occurrence.
 */
export function expandIcsBusy(ics: string, options: ExpandOptions): ExternalBusyBlock[] {
  const calendar = parseCalendar(ics);
  const zones = localZonesOf(calendar);
  const { masters, singles } = groupEvents(calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component)));
  const blocks: ExternalBusyBlock[] = [];
  const window = { from: options.from.getTime(), to: options.to.getTime() };
  const instantOf = (time: ICAL.Time, tzid: string | undefined) => toEpochMs(time, { tzid, zones, fallback: options.zone });
  for (const event of singles) {
    if (!isBusy(event)) continue;
    const tzid = tzidOf(event.startDate);
    pushBlock(blocks, window, { externalId: idOf(event.uid, event.startDate.toString()), start: instantOf(event.startDate, tzid), end: instantOf(event.endDate, tzidOf(event.endDate) ?? tzid) });
  }
  for (const master of masters) {
    const tzid = tzidOf(master.startDate);
    const iterator = master.iterator();
    for (let count = 0, next = iterator.next(); next && count < maxOccurrencesPerEvent; count += 1, next = iterator.next()) {
      const details = master.getOccurrenceDetails(next);
      const start = instantOf(details.startDate, tzidOf(details.startDate) ?? tzid);
      if (start >= window.to) break;
      // An override is judged by itself (one occurrence may be cancelled or free); others by the master.
      if (!isBusy(details.item)) continue;
      const end = instantOf(details.endDate, tzidOf(details.endDate) ?? tzidOf(details.startDate) ?? tzid);
      pushBlock(blocks, window, { externalId: idOf(master.uid, details.recurrenceId.toString()), start, end });
    }
  }
  return blocks;
}

function parseCalendar(ics: string): ICAL.Component {
  if (!/^\s*BEGIN:VCALENDAR/i.test(ics.slice(0, 1000))) throw new ChannelError('VALIDATION', 'ICS feed: the answer is not an iCalendar file (it does not start with BEGIN:VCALENDAR)', { field: 'url' });
  try {
    const calendar = new ICAL.Component(ICAL.parse(ics));
    if (calendar.name !== 'vcalendar') throw new Error(`top component is ${calendar.name}`);
    return calendar;
  } catch (cause) {
    throw new ChannelError('VALIDATION', `ICS feed: not valid iCalendar (${cause instanceof Error ? cause.message.slice(0, 200) : 'parse error'})`, { field: 'url', cause });
  }
}

/** The feed's own VTIMEZONE definitions, for TZIDs that are not IANA names (Outlook's "Eastern Standard Time"). */
function localZonesOf(calendar: ICAL.Component): Map<string, ICAL.Timezone> {
  const zones = new Map<string, ICAL.Timezone>();
  for (const component of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = component.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string') zones.set(tzid, new ICAL.Timezone(component));
  }
  return zones;
}

/** Recurring masters (with their overrides related) and everything that happens once. */
function groupEvents(events: ICAL.Event[]): { masters: ICAL.Event[]; singles: ICAL.Event[] } {
  const masters = new Map<string, ICAL.Event>();
  for (const event of events) if (event.isRecurring() && !event.isRecurrenceException()) masters.set(event.uid, event);
  const singles: ICAL.Event[] = [];
  for (const event of events) {
    const master = masters.get(event.uid);
    if (event.isRecurrenceException() && master) master.relateException(event);
    else if (!masters.has(event.uid) || event.isRecurrenceException()) singles.push(event);
  }
  return { masters: [...masters.values()], singles };
}

function isBusy(event: ICAL.Event): boolean {
  const transparency = String(event.component.getFirstPropertyValue('transp') ?? '').toUpperCase();
  const status = String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase();
  return transparency !== 'TRANSPARENT' && status !== 'CANCELLED';
}

function tzidOf(time: ICAL.Time | null | undefined): string | undefined {
  if (!time) return undefined;
  // ical.js keeps the TZID parameter here even when the feed did not define the zone.
  const named = (time as ICAL.Time & { timezone?: string }).timezone;
  if (named) return named;
  const zone = time.zone?.tzid;
  return zone && zone !== 'floating' ? zone : undefined;
}

/**
 * Epoch milliseconds of an iCalendar time: UTC as is; a local time in its TZID (an IANA name
 * through luxon, else the feed's own VTIMEZONE); floating and all-day times in the tenant's zone
 * (RFC 5545 §3.3.5: floating times are "the same hour wherever you are" — here, at the business).
 */
function toEpochMs(time: ICAL.Time, context: { tzid: string | undefined; zones: Map<string, ICAL.Timezone>; fallback: string }): number {
  if (time.zone === ICAL.Timezone.utcTimezone || time.zone?.tzid === 'UTC') return time.toUnixTime() * 1000;
  const fields = { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second };
  const tzid = time.isDate ? undefined : context.tzid;
  if (tzid) {
    const inZone = DateTime.fromObject(fields, { zone: tzid });
    if (inZone.isValid) return inZone.toMillis();
    const local = context.zones.get(tzid);
    if (local) {
      const copy = time.clone();
      copy.zone = local;
      return copy.toUnixTime() * 1000;
    }
  }
  return DateTime.fromObject(fields, { zone: context.fallback }).toMillis();
}

/** One id per occurrence, within the 1024 characters external_busy allows. */
function idOf(uid: string, recurrence: string): string {
  return `${(uid || 'no-uid').slice(0, 900)}@${recurrence}`;
}

function pushBlock(blocks: ExternalBusyBlock[], window: { from: number; to: number }, block: { externalId: string; start: number; end: number }): void {
  if (!(block.end > block.start) || block.end <= window.from || block.start >= window.to) return;
  if (blocks.length >= maxBlocks) throw new ChannelError('VALIDATION', `ICS feed: more than ${maxBlocks} busy periods in the booking horizon`, { field: 'url' });
  blocks.push({ externalId: block.externalId, start: new Date(block.start), end: new Date(block.end) });
}
