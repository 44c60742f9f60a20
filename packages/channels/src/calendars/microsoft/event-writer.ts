import { withTenant, type Keyring, type Pool } from '@gomomo/core';
import { ChannelError, isChannelError } from '../../errors.js';
import { findActiveConnection, type CalendarConnection } from '../connections.js';
import { revokeConnection } from '../revoke.js';
import type { CalendarEventInput } from '../google/event-writer.js';
import { openGraph, transactionIdOf, type MicrosoftCalendarOptions } from './graph.js';

/**
 * Mirrors one appointment into its resource's Microsoft 365 calendar. Graph picks event ids, so
 * the link is kept in `calendar_event_links`; a create carries a deterministic `transactionId`,
 * which Graph uses to return the existing event when a retried POST repeats one whose answer was
 * lost. Moved: PATCH; cancelled: DELETE (already gone is fine).
 */
export async function writeMicrosoftEvent(deps: { pool: Pool; microsoft: MicrosoftCalendarOptions; keyring: Keyring }, input: CalendarEventInput): Promise<'written' | 'deleted' | 'no-connection'> {
  const found = await withTenant(deps.pool, input.tenantId, async (client) => {
    const connection = await findActiveConnection(client, { tenantId: input.tenantId, resourceId: input.resourceId, provider: 'microsoft' });
    if (!connection) return null;
    const { rows } = await client.query<{ eventId: string }>('SELECT event_id AS "eventId" FROM calendar_event_links WHERE tenant_id = $1 AND appointment_id = $2 AND connection_id = $3', [
      input.tenantId,
      input.appointmentId,
      connection.id,
    ]);
    return { connection, eventId: rows[0]?.eventId ?? null };
  });
  if (!found) return 'no-connection';
  const { connection } = found;
  try {
    return await writeWith(deps, input, found);
  } catch (error) {
    if (isChannelError(error, 'PERMANENT') && /invalid_grant/.test(error.message)) await revokeConnection(deps.pool, connection, error.message);
    throw error;
  }
}

async function writeWith(
  deps: { pool: Pool; microsoft: MicrosoftCalendarOptions; keyring: Keyring },
  input: CalendarEventInput,
  found: { connection: CalendarConnection; eventId: string | null },
): Promise<'written' | 'deleted'> {
  const { connection } = found;
  const graph = await openGraph(deps, connection);
  const forget = () => withTenant(deps.pool, input.tenantId, (client) => client.query('DELETE FROM calendar_event_links WHERE tenant_id = $1 AND appointment_id = $2 AND connection_id = $3', [input.tenantId, input.appointmentId, connection.id]));
  if (input.status === 'cancelled') {
    if (found.eventId) await graph('Deleting a Microsoft event', `/me/events/${encodeURIComponent(found.eventId)}`, { method: 'DELETE' });
    await forget();
    return 'deleted';
  }
  const lines = [`Booked through gomomo. Reference ${input.reference}.`];
  if (input.contact) lines.push(`Customer: ${input.contact.name}`, ...(input.contact.email ? [`Email: ${input.contact.email}`] : []), ...(input.contact.phone ? [`Phone: ${input.contact.phone}`] : []));
  const event = {
    subject: `${input.serviceName}: ${input.clientFirstName} (${input.reference})`,
    body: { contentType: 'text', content: lines.join('\n') },
    start: { dateTime: new Date(input.start).toISOString().slice(0, 19), timeZone: 'UTC' },
    end: { dateTime: new Date(input.end).toISOString().slice(0, 19), timeZone: 'UTC' },
    showAs: 'busy',
  };
  if (found.eventId) {
    const patched = await graph('Moving a Microsoft event', `/me/events/${encodeURIComponent(found.eventId)}`, { method: 'PATCH', body: event });
    if (patched.status !== 404) return 'written';
  }
  const created = await graph<{ id?: string }>('Creating a Microsoft event', '/me/calendar/events', { method: 'POST', body: { ...event, transactionId: transactionIdOf(input.appointmentId) } });
  if (!created.body.id) throw new ChannelError('TRANSIENT', 'Microsoft answered a create without an event id');
  await withTenant(deps.pool, input.tenantId, (client) =>
    client.query(
      `INSERT INTO calendar_event_links (tenant_id, appointment_id, connection_id, event_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, appointment_id, connection_id) DO UPDATE SET event_id = EXCLUDED.event_id`,
      [input.tenantId, input.appointmentId, connection.id, created.body.id],
    ),
  );
  return 'written';
}

/**
 * Takes an appointment's event out of one connection's calendar (the resource it was moved away
 * from). Idempotent: Graph's 404 (already gone) is the goal state.
 */
export async function deleteMicrosoftEventFrom(deps: { pool: Pool; microsoft: MicrosoftCalendarOptions; keyring: Keyring }, target: { connection: CalendarConnection; eventId: string }): Promise<void> {
  try {
    const graph = await openGraph(deps, target.connection);
    await graph('Deleting a Microsoft event', `/me/events/${encodeURIComponent(target.eventId)}`, { method: 'DELETE' });
  } catch (error) {
    if (isChannelError(error, 'PERMANENT') && /invalid_grant/.test(error.message)) await revokeConnection(deps.pool, target.connection, error.message);
    throw error;
  }
}
