/** What a calendar provider is told about an appointment. */
export interface CalendarAppointment {
  tenantId: string;
  appointmentId: string;
  reference: string;
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
}

/**
 * Where appointments are mirrored (Google Calendar and others live in @gomomo/channels later).
 * `sync` throws when the provider failed; the caller retries and finally escalates to staff.
 */
export interface CalendarProvider {
  readonly name: string;
  sync(appointment: CalendarAppointment): Promise<void>;
}

/** The built-in provider: the database is the calendar, so there is nothing to mirror. */
export const databaseCalendarProvider: CalendarProvider = {
  name: 'database',
  async sync() {},
};
