import { replaceExternalBusy, withTenant, type Clock, type ExternalBusyBlock, type Keyring, type Pool } from '@gomomo/core';
import { isChannelError } from '../../errors.js';
import type { BusySyncOutcome } from '../google/busy-sync.js';
import { busySourceOf, readConnection, recordSync, recordSyncError } from '../connections.js';
import { revokeConnection } from '../revoke.js';
import { openGraph, type MicrosoftCalendarOptions } from './graph.js';

/** How far a refresh reads: a day back, and as far ahead as availability may ask (62 days plus margin). */
const pastMs = 24 * 3_600_000;
const aheadMs = 70 * 24 * 3_600_000;

interface ScheduleItem {
  status?: string;
  subject?: string;
  start?: { dateTime?: string };
  end?: { dateTime?: string };
}

/** Our own events say "(GM-XXXXX)" at the end of their subject: they are claims already. */
const ourSubject = /\(GM-[0-9A-Z]{5}\)$/;

/** A schedule item in UTC (we ask for UTC) as a busy block, or null when it leaves the person free. */
function blockOf(item: ScheduleItem): ExternalBusyBlock | null {
  if (!item.status || item.status === 'free' || item.status === 'workingElsewhere' || (item.subject && ourSubject.test(item.subject))) return null;
  const start = Date.parse(`${item.start?.dateTime ?? ''}Z`);
  const end = Date.parse(`${item.end?.dateTime ?? ''}Z`);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return null;
  return { externalId: `${start}-${end}`, start: new Date(start), end: new Date(end) };
}

/**
 * Brings a Microsoft 365 calendar's busy time up to date with Graph's getSchedule (free/busy over
 * the bookable horizon), replacing what the connection said before. invalid_grant revokes the
 * connection and clears its busy time (database-only again); the caller escalates.
 */
export async function syncMicrosoftBusy(deps: { pool: Pool; clock: Clock; microsoft: MicrosoftCalendarOptions; keyring: Keyring }, input: { tenantId: string; connectionId: string }): Promise<BusySyncOutcome> {
  const connection = await withTenant(deps.pool, input.tenantId, (client) => readConnection(client, input));
  if (!connection || connection.status !== 'active' || connection.provider !== 'microsoft') return { outcome: 'skipped', reason: 'no active Microsoft connection' };
  const now = deps.clock.now();
  let blocks: ExternalBusyBlock[];
  try {
    const graph = await openGraph(deps, connection);
    const { body } = await graph<{ value?: { scheduleItems?: ScheduleItem[] }[] }>('Reading Microsoft free/busy', '/me/calendar/getSchedule', {
      method: 'POST',
      body: {
        schedules: [connection.calendarId],
        startTime: { dateTime: new Date(now.getTime() - pastMs).toISOString().slice(0, 19), timeZone: 'UTC' },
        endTime: { dateTime: new Date(now.getTime() + aheadMs).toISOString().slice(0, 19), timeZone: 'UTC' },
        availabilityViewInterval: 15,
      },
    });
    blocks = (body.value?.[0]?.scheduleItems ?? []).map(blockOf).filter((b): b is ExternalBusyBlock => b !== null);
  } catch (error) {
    if (isChannelError(error, 'PERMANENT') && /invalid_grant/.test(error.message)) return revokeConnection(deps.pool, connection, error.message);
    await withTenant(deps.pool, input.tenantId, (client) => recordSyncError(client, { tenantId: input.tenantId, connectionId: connection.id, error: (error as Error).message }));
    throw error;
  }
  await withTenant(deps.pool, input.tenantId, async (client) => {
    await replaceExternalBusy(client, { tenantId: connection.tenantId, resourceId: connection.resourceId, source: busySourceOf(connection) }, blocks);
    await recordSync(client, { tenantId: input.tenantId, connectionId: connection.id, syncToken: null, at: now });
  });
  return { outcome: 'synced', mode: 'full', busy: blocks.length, removed: 0 };
}
