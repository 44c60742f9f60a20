import { DateTime } from 'luxon';
import { z } from 'zod';
import { ChannelError } from '../errors.js';

/**
 * The local hours in which non-transactional SMS may go out, "HH:mm" each, `sendFrom` inclusive and
 * `sendUntil` exclusive. A window whose end is before its start runs past midnight.
 */
export interface QuietHours {
  sendFrom: string;
  sendUntil: string;
}

/**
 * 08:00–21:00 in the recipient's local time: the TCPA's calling-hours rule (47 CFR 64.1200(c)(1)
 * forbids 21:00–08:00) and the CTIA's guidance for marketing texts.
 */
export const defaultQuietHours: QuietHours = Object.freeze({ sendFrom: '08:00', sendUntil: '21:00' });

const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like "08:00"');
/** The sending window as tenants set it (`settings.sms.quietHours`); the console and `tenant.update` check it with this. */
export const quietHoursSchema = z.object({ sendFrom: clockSchema, sendUntil: clockSchema }).refine((q) => q.sendFrom !== q.sendUntil, {
  message: 'sendFrom and sendUntil must differ',
  path: ['sendUntil'],
});

export interface NextAllowedSendTimeInput {
  now: Date;
  /** The recipient's IANA zone; see `recipientTimeZone`. */
  timeZone: string;
  quietHours?: QuietHours | undefined;
  /**
   * True for the confirmation of something the customer just did (a booking, a STOP): it goes at
   * once, whatever the hour. Reminders, follow-ups and waitlist offers are not transactional.
   */
  isTransactional: boolean;
}

function parseQuietHours(value: unknown, field: string): QuietHours {
  const parsed = quietHoursSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = [field, ...issue.path.map(String)].join('.');
  throw new ChannelError('VALIDATION', `${path}: ${issue.message}`, { field: path });
}

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

function isInside(minute: number, from: number, until: number): boolean {
  return from < until ? minute >= from && minute < until : minute >= from || minute < until;
}

/**
 * The earliest time at or after `now` when a message may be sent to someone in `timeZone`: `now`
 * itself for a transactional message or inside the window, else the next opening of the window in
 * the recipient's local time (DST-aware: "08:00" is 08:00 on the wall clock, whatever the offset).
 * The outbox sender calls this before the provider, and holds the message until the answer.
 *
 * @example nextAllowedSendTime({ now: new Date('2026-03-02T02:30:00Z'), timeZone: 'America/New_York', isTransactional: false })
 * // → 2026-03-02T13:00:00Z (08:00 in New York)
 */
export function nextAllowedSendTime(input: NextAllowedSendTimeInput): Date {
  if (input.isTransactional) return input.now;
  const quiet = parseQuietHours(input.quietHours ?? defaultQuietHours, 'quietHours');
  const local = DateTime.fromJSDate(input.now, { zone: input.timeZone });
  if (!local.isValid) throw new ChannelError('VALIDATION', `timeZone: not an IANA time zone, got ${JSON.stringify(input.timeZone)}`, { field: 'timeZone' });
  const from = minutesOf(quiet.sendFrom);
  if (isInside(local.hour * 60 + local.minute, from, minutesOf(quiet.sendUntil))) return input.now;
  const [hour, minute] = [Math.floor(from / 60), from % 60];
  const today = local.set({ hour, minute, second: 0, millisecond: 0 });
  const opening = today > local ? today : local.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  return opening.toJSDate();
}

/**
 * A tenant's quiet hours from its settings (`settings.sms.quietHours`), or the default. Invalid
 * settings are an error naming the field rather than a silent fallback: a typo must not let
 * messages out at night.
 */
export function readQuietHours(settings: Record<string, unknown>): QuietHours {
  const sms = settings['sms'];
  const value = sms && typeof sms === 'object' ? (sms as Record<string, unknown>)['quietHours'] : undefined;
  return value === undefined ? { ...defaultQuietHours } : parseQuietHours(value, 'settings.sms.quietHours');
}
