import type { CalendarEventInput } from '@gomomo/channels';
/** What a calendar provider is told about an appointment: channels' event input, the one definition. */
export type CalendarAppointment = CalendarEventInput;

/** A calendar whose grant was refused for good: the resource is database-only, staff must reconnect. */
export interface RevokedCalendar {
  tenantId: string;
  resourceId: string;
  reason: string;
  /** `ics_feed_failing`: an outside ICS feed failed past its bound (its busy time was dropped); else a refused grant. */
  kind?: 'ics_feed_failing' | undefined;
}

/**
 * Where appointments are mirrored (Google Calendar lives in @gomomo/channels).
 * `sync` throws when the provider failed; the caller retries and finally escalates to staff. A
 * failure marked permanent (`isPermanent`) escalates at once: retrying a revoked grant cannot help.
 */
export interface CalendarProvider {
  readonly name: string;
  sync(appointment: CalendarAppointment): Promise<void>;
  /** True for a failure no retry can fix (a revoked grant, a calendar that no longer exists). */
  isPermanent?(error: unknown): boolean;
  /**
   * Brings connected calendars' and ICS feeds' busy time up to date (those older than the
   * staleness bound); returns the ones whose grant was refused or whose feed kept failing, for staff. Run every minute by the worker.
   */
  refreshBusy?(now: Date): Promise<RevokedCalendar[]>;
}

/** The built-in provider: the database is the calendar, so there is nothing to mirror. */
export const databaseCalendarProvider: CalendarProvider = {
  name: 'database',
  async sync() {},
};
