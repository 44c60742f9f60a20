import type { OpeningInterval, Tenant } from '@gomomo/core';
import { DateTime } from 'luxon';
import { spokenTime } from './spoken-numbers.js';

/** A tenant's voice settings (`settings.voice`), read leniently: a bad value is as good as absent. */
export interface VoiceSettings {
  /** Said after the disclosure; default "How can I help you today?". */
  greeting: string;
  /** Where "talk to a person" is transferred during opening hours (E.164); absent: take a message. */
  staffNumber: string | undefined;
}

export function readVoiceSettings(tenant: Pick<Tenant, 'settings'>): VoiceSettings {
  const raw = tenant.settings['voice'];
  const voice = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const greeting = typeof voice['greeting'] === 'string' && voice['greeting'].trim() ? voice['greeting'].trim().slice(0, 300) : 'How can I help you today?';
  const staff = typeof voice['staffNumber'] === 'string' && /^\+[1-9]\d{6,14}$/.test(voice['staffNumber']) ? voice['staffNumber'] : undefined;
  return { greeting, staffNumber: staff };
}

/** The disclosure every call starts with (the caller must know it is not a person, and that it is transcribed). */
export function disclosureOf(tenant: Pick<Tenant, 'name' | 'settings'>): string {
  return `Hi, you've reached an automated assistant for ${tenant.name}. Calls may be transcribed. ${readVoiceSettings(tenant).greeting}`;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** True when `now` falls in one of the tenant's opening intervals, in its time zone. */
export function isOpenAt(hours: OpeningInterval[], input: { now: Date; timeZone: string }): boolean {
  const local = DateTime.fromJSDate(input.now, { zone: input.timeZone });
  const minute = local.hour * 60 + local.minute;
  return hours.some((h) => h.weekday === local.weekday && minute >= minutesOf(h.opens) && minute < minutesOf(h.closes));
}

/** "tomorrow at nine in the morning" / "Monday at nine in the morning": when the business next opens, for the ear. */
export function nextOpeningSpoken(hours: OpeningInterval[], input: { now: Date; timeZone: string }): string | null {
  const local = DateTime.fromJSDate(input.now, { zone: input.timeZone });
  for (let offset = 0; offset <= 7; offset++) {
    const day = local.plus({ days: offset }).startOf('day');
    const opening = hours
      .filter((h) => h.weekday === day.weekday)
      .map((h) => minutesOf(h.opens))
      .filter((start) => offset > 0 || start > local.hour * 60 + local.minute)
      .sort((a, b) => a - b)[0];
    if (opening === undefined) continue;
    const hour = Math.floor(opening / 60);
    const time = spokenTime(hour % 12 === 0 ? 12 : hour % 12, opening % 60, hour < 12 ? 'AM' : 'PM');
    const when = offset === 0 ? 'today' : offset === 1 ? 'tomorrow' : day.toFormat('cccc');
    return `${when} at ${time}`;
  }
  return null;
}
