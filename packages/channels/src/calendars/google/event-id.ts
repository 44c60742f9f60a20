/**
 * The Google event id of an appointment: deterministic, so a retried create finds its own event
 * (409) instead of adding a second one. Google allows base32hex characters (a-v, 0-9), 5-1024
 * long; `gm` + the appointment uuid's 32 hex digits fits, and marks the events as ours.
 */
export function googleEventIdOf(appointmentId: string): string {
  return `gm${appointmentId.replace(/-/g, '').toLowerCase()}`;
}

/** True for events we wrote (they are our appointments, already claims: not external busy time). */
export function isOurEventId(eventId: string | null | undefined): boolean {
  return typeof eventId === 'string' && /^gm[0-9a-f]{32}$/.test(eventId);
}
