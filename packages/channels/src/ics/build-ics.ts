export interface IcsEvent {
  /** Stable across updates of the same appointment, so calendars replace rather than duplicate. */
  uid: string;
  start: string;
  end: string;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  /** Incremented for each update of the same uid (RFC 5545 §3.8.7.4). */
  sequence?: number | undefined;
  status?: 'CONFIRMED' | 'CANCELLED' | undefined;
  /** DTSTAMP: when this invitation was made. */
  stamp: Date;
}

/** TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and newlines. */
function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** UTC DATE-TIME form of RFC 5545 §3.3.5 (form #2), e.g. 20261201T150000Z. */
function formatUtc(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid time: ${String(value)}`);
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Folds a content line at 75 octets with CRLF + space (RFC 5545 §3.1), never splitting a UTF-8 sequence. */
function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function eventLines(event: IcsEvent): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${formatUtc(event.stamp)}`,
    `DTSTART:${formatUtc(event.start)}`,
    `DTEND:${formatUtc(event.end)}`,
    `SEQUENCE:${event.sequence ?? 0}`,
    `STATUS:${event.status ?? 'CONFIRMED'}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    'END:VEVENT',
  ];
}

/** What a subscribed calendar shows about the feed as a whole. */
export interface IcsCalendarHeader {
  /** The calendar's display name (X-WR-CALNAME, read by Google, Apple and Outlook). */
  name?: string | undefined;
  /** The IANA zone the calendar is shown in (X-WR-TIMEZONE); times themselves are UTC. */
  timeZone?: string | undefined;
  /** How often subscribers should re-read the feed (RFC 7986 REFRESH-INTERVAL, and X-PUBLISHED-TTL). */
  refreshMinutes?: number | undefined;
}

function calendarFile(header: IcsCalendarHeader, events: IcsEvent[]): string {
  const refresh = header.refreshMinutes ? `PT${header.refreshMinutes}M` : null;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//gomomo//autonomous receptionist//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(header.name ? [`X-WR-CALNAME:${escapeText(header.name)}`] : []),
    ...(header.timeZone ? [`X-WR-TIMEZONE:${escapeText(header.timeZone)}`] : []),
    ...(refresh ? [`REFRESH-INTERVAL;VALUE=DURATION:${refresh}`, `X-PUBLISHED-TTL:${refresh}`] : []),
    ...events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** An iCalendar (RFC 5545) file with one event, for email invitations. */
export function buildIcs(event: IcsEvent): string {
  return calendarFile({}, [event]);
}

/**
 * An iCalendar file with many events, for a subscription feed. Times are UTC DATE-TIMEs (RFC 5545
 * §3.3.5 form #2), which need no VTIMEZONE and mean the same instant in every client.
 */
export function buildIcsCalendar(header: IcsCalendarHeader, events: IcsEvent[]): string {
  return calendarFile(header, events);
}
