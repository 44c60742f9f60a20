import type { calendar_v3 } from '@googleapis/calendar';
import { clearExternalBusy, readSecret, withTenant, type Keyring, type Pool } from '@gomomo/core';
import { busySourceOf, findActiveConnection, linkEvent, markRevoked, secretNameOf, unlinkEvent, type CalendarConnection } from '../connections.js';
import { googleEventIdOf } from './event-id.js';
import { createCalendarClient, describeGoogleError, toChannelError, type GoogleCalendarOptions } from './google-api.js';

/** What an event is written from: the appointment, with contact details only when the tenant opted in. */
export interface CalendarEventInput {
  tenantId: string;
  appointmentId: string;
  resourceId: string;
  reference: string;
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
  serviceName: string;
  /** The customer's first name: all a staff calendar shows unless the tenant opts in to more. */
  clientFirstName: string;
  /** Set only when the tenant opted in (`settings.calendarContactDetails: true`). */
  contact?: { name: string; email: string | null; phone: string | null } | undefined;
}

function eventBody(input: CalendarEventInput, eventId: string): calendar_v3.Schema$Event {
  const lines = [`Booked through gomomo. Reference ${input.reference}.`];
  if (input.contact) lines.push(`Customer: ${input.contact.name}`, ...(input.contact.email ? [`Email: ${input.contact.email}`] : []), ...(input.contact.phone ? [`Phone: ${input.contact.phone}`] : []));
  return {
    id: eventId,
    status: 'confirmed',
    summary: `${input.serviceName}: ${input.clientFirstName} (${input.reference})`,
    description: lines.join('\n'),
    start: { dateTime: input.start },
    end: { dateTime: input.end },
    // Busy for anyone else looking at this calendar; ours, so our own sync skips it.
    transparency: 'opaque',
    extendedProperties: { private: { gomomoAppointmentId: input.appointmentId } },
  };
}

/**
 * Mirrors one appointment into its resource's Google calendar: created or moved (insert with the
 * deterministic id, 409 → update) or cancelled (delete; already gone is fine). Idempotent by event
 * id, so the retry machinery may run it any number of times. A resource without an active
 * connection is database-only: nothing to do. Throws a ChannelError the caller retries
 * (TRANSIENT, RATE_LIMITED) or escalates (PERMANENT; invalid_grant also revokes the connection).
 */
export async function writeGoogleEvent(deps: { pool: Pool; google: GoogleCalendarOptions; keyring: Keyring }, input: CalendarEventInput): Promise<'written' | 'deleted' | 'no-connection'> {
  const found = await withTenant(deps.pool, input.tenantId, async (client) => {
    const connection = await findActiveConnection(client, { tenantId: input.tenantId, resourceId: input.resourceId, provider: 'google' });
    const token = connection ? await readSecret(client, deps.keyring, { tenantId: input.tenantId, name: secretNameOf(connection.id) }) : null;
    return connection && token ? { connection, token } : null;
  });
  if (!found) return 'no-connection';
  const { connection, token } = found;
  const api = await createCalendarClient(deps.google, token);
  const eventId = googleEventIdOf(input.appointmentId);
  const calendarId = connection.calendarId;
  const link = { tenantId: input.tenantId, appointmentId: input.appointmentId, connectionId: connection.id };
  try {
    if (input.status === 'cancelled') {
      await deleteEvent(api, { calendarId, eventId });
      await withTenant(deps.pool, input.tenantId, (client) => unlinkEvent(client, link));
      return 'deleted';
    }
    const requestBody = eventBody(input, eventId);
    try {
      await api.events.insert({ calendarId, requestBody, sendUpdates: 'none' });
    } catch (error) {
      // 409: the event exists (an earlier attempt, or the appointment moved): update it in place.
      if (describeGoogleError(error).status !== 409) throw error;
      await api.events.update({ calendarId, eventId, requestBody, sendUpdates: 'none' });
    }
    // Which resource's calendar holds the event, so a move to another resource can take it out.
    await withTenant(deps.pool, input.tenantId, (client) => linkEvent(client, { ...link, eventId }));
    return 'written';
  } catch (error) {
    throw await failWith(deps.pool, connection, { error, what: `Writing appointment ${input.reference} to Google Calendar` });
  }
}

/** Deletes one event; 404/410 (never written or already deleted) is the goal state. */
async function deleteEvent(api: calendar_v3.Calendar, event: { calendarId: string; eventId: string }): Promise<void> {
  try {
    await api.events.delete({ ...event, sendUpdates: 'none' });
  } catch (error) {
    const { status } = describeGoogleError(error);
    if (status !== 404 && status !== 410) throw error;
  }
}

/** Our error for a failed call; an invalid_grant also revokes the connection and clears its busy time. */
async function failWith(pool: Pool, connection: CalendarConnection, failed: { error: unknown; what: string }): Promise<Error> {
  const { error, what } = failed;
  const failure = toChannelError(error, what);
  if (describeGoogleError(error).isInvalidGrant) {
    await withTenant(pool, connection.tenantId, async (client) => {
      await markRevoked(client, { tenantId: connection.tenantId, connectionId: connection.id, error: failure.message });
      await clearExternalBusy(client, { tenantId: connection.tenantId, resourceId: connection.resourceId, source: busySourceOf(connection) });
    });
  }
  return failure;
}

/**
 * Takes an appointment's event out of one connection's calendar (the resource it was moved away
 * from). Idempotent: an event already gone is the goal state. Throws like `writeGoogleEvent`.
 */
export async function deleteGoogleEventFrom(deps: { pool: Pool; google: GoogleCalendarOptions; keyring: Keyring }, target: { connection: CalendarConnection; eventId: string }): Promise<void> {
  const { connection } = target;
  const token = await withTenant(deps.pool, connection.tenantId, (client) => readSecret(client, deps.keyring, { tenantId: connection.tenantId, name: secretNameOf(connection.id) }));
  if (!token) return;
  try {
    const api = await createCalendarClient(deps.google, token);
    await deleteEvent(api, { calendarId: connection.calendarId, eventId: target.eventId });
  } catch (error) {
    throw await failWith(deps.pool, connection, { error, what: `Removing event ${target.eventId} from the Google Calendar of resource ${connection.resourceId}` });
  }
}
