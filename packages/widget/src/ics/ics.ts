// A single-event iCalendar file (RFC 5545) built in the browser, so "add to calendar" needs no
// extra endpoint and works for any calendar app that opens .ics files.

export interface CalendarEvent {
  reference: string;
  start: string;
  end: string;
  summary: string;
  /** Where the event's UID is unique, e.g. the API host. */
  domain: string;
  now: Date;
}

/** `20261201T150000Z`: RFC 5545 §3.3.5 form #2, UTC, so no VTIMEZONE block is needed. */
function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 5545 §3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values. */
function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF + one space. */
function foldLine(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const width = new TextEncoder().encode(char).length;
    if (size + width > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += width;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** Builds the .ics text for one appointment. */
export function buildIcs(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//gomomo//widget//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.reference)}@${event.domain}`,
    `DTSTAMP:${formatUtc(event.now)}`,
    `DTSTART:${formatUtc(new Date(event.start))}`,
    `DTEND:${formatUtc(new Date(event.end))}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(`Reference ${event.reference}`)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** A `data:` URL for an `<a download>` link, so no Blob URL has to be revoked later. */
export function toIcsDataUrl(ics: string): string {
  return `data:text/calendar;charset=utf-8,${encodeURIComponent(ics)}`;
}
