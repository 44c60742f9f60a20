import type { calendar_v3 } from '@googleapis/calendar';
import { clearExternalBusy, readSecret, removeExternalBusy, replaceExternalBusy, upsertExternalBusy, withTenant, type Clock, type ExternalBusyBlock, type Keyring, type Pool } from '@gomomo/core';
import { DateTime } from 'luxon';
import { isChannelError } from '../../errors.js';
import { busySourceOf, markRevoked, readConnection, recordSync, recordSyncError, secretNameOf, type CalendarConnection } from '../connections.js';
import { isOurEventId } from './event-id.js';
import { createCalendarClient, describeGoogleError, toChannelError, type GoogleCalendarOptions } from './google-api.js';

/** How far back a full sync reads (an event that ended yesterday never blocks again). */
const fullSyncPastMs = 24 * 3_600_000;

export type BusySyncOutcome =
  | { outcome: 'synced'; mode: 'full' | 'incremental'; busy: number; removed: number }
  | { outcome: 'revoked'; tenantId: string; resourceId: string; reason: string }
  | { outcome: 'skipped'; reason: string };

interface Changes {
  busy: ExternalBusyBlock[];
  gone: string[];
  nextSyncToken: string | null;
}

/** The block an event makes, or null when it does not make the resource busy. */
function blockOf(event: calendar_v3.Schema$Event, zone: string): ExternalBusyBlock | null {
  if (!event.id || event.status === 'cancelled' || event.transparency === 'transparent' || isOurEventId(event.id)) return null;
  // Declined by the calendar's owner: they are not going.
  if (event.attendees?.some((a) => a.self && a.responseStatus === 'declined')) return null;
  const start = event.start?.dateTime ? DateTime.fromISO(event.start.dateTime) : event.start?.date ? DateTime.fromISO(event.start.date, { zone: event.start.timeZone ?? zone }) : null;
  const end = event.end?.dateTime ? DateTime.fromISO(event.end.dateTime) : event.end?.date ? DateTime.fromISO(event.end.date, { zone: event.end.timeZone ?? zone }) : null;
  if (!start?.isValid || !end?.isValid || end <= start) return null;
  return { externalId: event.id, start: start.toJSDate(), end: end.toJSDate() };
}

/** Reads every page of a list: incremental from `syncToken`, or everything from `timeMin`. */
async function listChanges(api: calendar_v3.Calendar, input: { calendarId: string; syncToken: string | null; timeMin: Date }): Promise<Changes> {
  const changes: Changes = { busy: [], gone: [], nextSyncToken: null };
  let pageToken: string | undefined;
  let zone = 'UTC';
  do {
    const { data } = await api.events.list({
      calendarId: input.calendarId,
      // Recurring events come expanded into instances; a sync token keeps that setting.
      singleEvents: true,
      maxResults: 250,
      ...(pageToken ? { pageToken } : {}),
      ...(input.syncToken ? { syncToken: input.syncToken } : { timeMin: input.timeMin.toISOString() }),
    });
    zone = data.timeZone ?? zone;
    for (const event of data.items ?? []) {
      const block = blockOf(event, zone);
      if (block) changes.busy.push(block);
      else if (event.id) changes.gone.push(event.id);
    }
    pageToken = data.nextPageToken ?? undefined;
    changes.nextSyncToken = data.nextSyncToken ?? changes.nextSyncToken;
  } while (pageToken);
  return changes;
}

/**
 * Brings a connection's busy time up to date: incremental with Google's sync token, or a full read
 * when there is none or Google answers 410 Gone (the token expired: full resync, per Google's sync
 * guide). An invalid_grant marks the connection revoked and clears its busy time, so the resource
 * falls back to database-only; the caller escalates to staff.
 */
export async function syncGoogleBusy(deps: { pool: Pool; clock: Clock; google: GoogleCalendarOptions; keyring: Keyring }, input: { tenantId: string; connectionId: string }): Promise<BusySyncOutcome> {
  const connection = await withTenant(deps.pool, input.tenantId, (client) => readConnection(client, input));
  if (!connection || connection.status !== 'active' || connection.provider !== 'google') return { outcome: 'skipped', reason: 'no active Google connection' };
  const refreshToken = await withTenant(deps.pool, input.tenantId, (client) => readSecret(client, deps.keyring, { tenantId: input.tenantId, name: secretNameOf(connection.id) }));
  if (!refreshToken) return revoke(deps.pool, connection, 'the stored grant is missing');
  const api = await createCalendarClient(deps.google, refreshToken);
  const now = deps.clock.now();
  const timeMin = new Date(now.getTime() - fullSyncPastMs);
  let mode: 'full' | 'incremental' = connection.syncToken ? 'incremental' : 'full';
  let changes: Changes;
  try {
    try {
      changes = await listChanges(api, { calendarId: connection.calendarId, syncToken: connection.syncToken, timeMin });
    } catch (error) {
      if (describeGoogleError(error).status !== 410 || mode === 'full') throw error;
      mode = 'full';
      changes = await listChanges(api, { calendarId: connection.calendarId, syncToken: null, timeMin });
    }
  } catch (error) {
    const failure = toChannelError(error, `Reading Google Calendar of resource ${connection.resourceId}`);
    if (describeGoogleError(error).isInvalidGrant) return revoke(deps.pool, connection, failure.message);
    await withTenant(deps.pool, input.tenantId, (client) => recordSyncError(client, { tenantId: input.tenantId, connectionId: connection.id, error: failure.message }));
    throw failure;
  }
  const target = { tenantId: connection.tenantId, resourceId: connection.resourceId, source: busySourceOf(connection) };
  await withTenant(deps.pool, input.tenantId, async (client) => {
    if (mode === 'full') await replaceExternalBusy(client, target, changes.busy);
    else {
      await upsertExternalBusy(client, target, changes.busy);
      await removeExternalBusy(client, target, changes.gone);
    }
    await recordSync(client, { tenantId: input.tenantId, connectionId: connection.id, syncToken: changes.nextSyncToken, at: now });
  });
  return { outcome: 'synced', mode, busy: changes.busy.length, removed: changes.gone.length };
}

async function revoke(pool: Pool, connection: CalendarConnection, reason: string): Promise<BusySyncOutcome> {
  await withTenant(pool, connection.tenantId, async (client) => {
    await markRevoked(client, { tenantId: connection.tenantId, connectionId: connection.id, error: reason });
    await clearExternalBusy(client, { tenantId: connection.tenantId, resourceId: connection.resourceId, source: busySourceOf(connection) });
  });
  return { outcome: 'revoked', tenantId: connection.tenantId, resourceId: connection.resourceId, reason };
}

/** True when a sync or write failed because the grant is gone (the connection is then revoked). */
export function isRevokedGrant(error: unknown): boolean {
  return isChannelError(error, 'PERMANENT') && /invalid_grant/.test(error.message);
}
