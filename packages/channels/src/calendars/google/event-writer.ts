import type { calendar_v3 } from '@googleapis/calendar';
import { clearExternalBusy, readSecret, withTenant, type Keyring, type Pool } from '@gomomo/core';
import { busySourceOf, findActiveConnection, markRevoked, secretNameOf } from '../connections.js';
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
  try {
    if (input.status === 'cancelled') {
      try {
        await api.events.delete({ calendarId, eventId, sendUpdates: 'none' });
      } catch (error) {
        // 404/410: never written or already deleted — the goal state.
        const { status } = describeGoogleError(error);
        if (status !== 404 && status !== 410) throw error;
      }
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
    return 'written';
  } catch (error) {
    const failure = toChannelError(error, `Writing appointment ${input.reference} to Google Calendar`);
    if (describeGoogleError(error).isInvalidGrant) {
      await withTenant(deps.pool, input.tenantId, async (client) => {
        await markRevoked(client, { tenantId: input.tenantId, connectionId: connection.id, error: failure.message });
        await clearExternalBusy(client, { tenantId: input.tenantId, resourceId: connection.resourceId, source: busySourceOf(connection) });
      });
    }
    throw failure;
  }
}
