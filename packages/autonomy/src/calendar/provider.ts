/** What a calendar provider is told about an appointment. */
export interface CalendarAppointment {
  tenantId: string;
  appointmentId: string;
  resourceId: string;
  reference: string;
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
  serviceName: string;
  /** All a staff calendar shows of the customer unless the tenant opts in to more. */
  clientFirstName: string;
  /** Only when the tenant opted in (`settings.calendarContactDetails: true`). */
  contact?: { name: string; email: string | null; phone: string | null } | undefined;
}

/** A calendar whose grant was refused for good: the resource is database-only, staff must reconnect. */
export interface RevokedCalendar {
  tenantId: string;
  resourceId: string;
  reason: string;
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
   * Brings connected calendars' busy time up to date (those older than the staleness bound);
   * returns the ones whose grant was refused, for staff. Run every minute by the worker.
   */
  refreshBusy?(now: Date): Promise<RevokedCalendar[]>;
}

/** The built-in provider: the database is the calendar, so there is nothing to mirror. */
export const databaseCalendarProvider: CalendarProvider = {
  name: 'database',
  async sync() {},
};
