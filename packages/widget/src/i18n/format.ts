/**
 * The wall-clock time an ISO string states, as a Date read in UTC. Appointment times arrive with
 * the business's offset (`2026-12-01T10:00:00-05:00`); the visitor must see the business's own
 * time, not a conversion to the zone their browser happens to be in.
 */
function toWallClock(iso: string): Date | undefined {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return undefined;
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(instant + minutes * 60_000);
}

/** Formats an appointment's time range in the visitor's language, e.g. "Tue, Dec 1, 10:00 – 10:30 AM". */
export function formatRange(start: string, end: string, language: string): string {
  const from = toWallClock(start);
  const to = toWallClock(end);
  if (!from) return start;
  const format = new Intl.DateTimeFormat(language, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  return to ? format.formatRange(from, to) : format.format(from);
}
