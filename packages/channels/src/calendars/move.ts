import { withTenant, type Keyring, type Pool } from '@gomomo/core';
import { listEventsElsewhere, unlinkEvent, type CalendarConnection } from './connections.js';
import { deleteGoogleEventFrom } from './google/event-writer.js';
import type { GoogleCalendarOptions } from './google/google-api.js';
import { deleteMicrosoftEventFrom } from './microsoft/event-writer.js';
import type { MicrosoftCalendarOptions } from './microsoft/graph.js';

export interface VacateDeps {
  pool: Pool;
  keyring: Keyring;
  google?: GoogleCalendarOptions | undefined;
  microsoft?: MicrosoftCalendarOptions | undefined;
}

/**
 * An appointment moved to another resource: its events in the calendars of the resources it left
 * are deleted, each link forgotten once its event is gone (so a retry only redoes what failed).
 * A connection that is no longer active, or whose provider this deployment no longer configures,
 * cannot be reached: its link is forgotten (staff were told when it was revoked). Returns how many
 * events were removed; throws the first failure after trying every calendar, for the retry machinery.
 */
export async function vacateOtherResources(deps: VacateDeps, appointment: { tenantId: string; appointmentId: string; resourceId: string }): Promise<number> {
  const left = await withTenant(deps.pool, appointment.tenantId, (client) => listEventsElsewhere(client, appointment));
  let removed = 0;
  let failure: unknown = null;
  for (const target of left) {
    try {
      if (await deleteFrom(deps, target)) removed += 1;
      await withTenant(deps.pool, appointment.tenantId, (client) => unlinkEvent(client, { ...appointment, connectionId: target.connection.id }));
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return removed;
}

/** Deletes through the connection's provider; false when the calendar cannot be reached any more. */
async function deleteFrom(deps: VacateDeps, target: { connection: CalendarConnection; eventId: string }): Promise<boolean> {
  const { connection } = target;
  if (connection.status !== 'active') return false;
  if (connection.provider === 'google' && deps.google) {
    await deleteGoogleEventFrom({ ...deps, google: deps.google }, target);
    return true;
  }
  if (connection.provider === 'microsoft' && deps.microsoft) {
    await deleteMicrosoftEventFrom({ ...deps, microsoft: deps.microsoft }, target);
    return true;
  }
  return false;
}
