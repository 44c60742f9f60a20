import type { Clock, Keyring, Pool } from '@gomomo/core';
import { isChannelError } from '../errors.js';
import { listStaleConnections } from './connections.js';
import { syncGoogleBusy } from './google/busy-sync.js';
import { writeGoogleEvent, type CalendarEventInput } from './google/event-writer.js';
import type { GoogleCalendarOptions } from './google/google-api.js';
import { syncMicrosoftBusy } from './microsoft/busy-sync.js';
import { writeMicrosoftEvent } from './microsoft/event-writer.js';
import type { MicrosoftCalendarOptions } from './microsoft/graph.js';
import { refreshDueIcsImports, type IcsImportDeps } from '../ics/import/imports.js';
import { vacateOtherResources } from './move.js';

export interface CalendarProviderOptions {
  pool: Pool;
  clock: Clock;
  keyring: Keyring;
  /** Google Calendar, when the deployment has an OAuth client for it. */
  google?: GoogleCalendarOptions | undefined;
  /** Microsoft 365, when the deployment has an app registration for it. */
  microsoft?: MicrosoftCalendarOptions | undefined;
  /** Outside ICS feeds as busy time (fetched every `refreshIntervalMs`), when the deployment allows them. */
  ics?: Omit<IcsImportDeps, 'pool' | 'keyring'> | undefined;
  /** How old a calendar's busy time may get before the worker re-reads it (default 5 minutes). */
  maxStalenessMs?: number;
  /** Connections refreshed per run of the minute job (default 200). */
  batchSize?: number;
  /** Where a failed refresh is reported (never with a token in it). */
  onError?: (error: unknown, connection: { tenantId: string; connectionId: string }) => void;
}

/**
 * Connected calendars behind autonomy's `CalendarProvider`: bookings are written to the
 * resource's Google and/or Microsoft calendar through its retry machinery (`sync`), a refused
 * grant is permanent (`isPermanent`: staff at once), and the worker's minute job keeps busy time
 * within `maxStalenessMs` (`refreshBusy`). Resources with no connected calendar stay database-only.
 */
export function createCalendarProvider(options: CalendarProviderOptions) {
  const maxStalenessMs = options.maxStalenessMs ?? 300_000;
  const { google, microsoft } = options;
  return {
    name: [google ? 'google' : null, microsoft ? 'microsoft' : null].filter(Boolean).join('+') || 'database',
    async sync(appointment: CalendarEventInput): Promise<void> {
      // Moved to another resource: out of the old resource's calendar first. A calendar that cannot
      // be cleaned up now must not keep the event from the new one: write, then report the failure.
      const vacated = await vacateOtherResources(options, appointment).then(
        () => null,
        (error: unknown) => ({ error }),
      );
      if (google) await writeGoogleEvent({ ...options, google }, appointment);
      if (microsoft) await writeMicrosoftEvent({ ...options, microsoft }, appointment);
      if (vacated) throw vacated.error;
    },
    isPermanent(error: unknown): boolean {
      return isChannelError(error, 'PERMANENT');
    },
    async refreshBusy(now: Date): Promise<{ tenantId: string; resourceId: string; reason: string; kind?: 'ics_feed_failing' }[]> {
      const failing = options.ics ? await refreshIcsFeeds({ ...options, ics: options.ics }, now) : [];
      const stale = await listStaleConnections(options.pool, { before: new Date(now.getTime() - maxStalenessMs), limit: options.batchSize ?? 200 });
      const revoked: { tenantId: string; resourceId: string; reason: string }[] = [];
      for (const connection of stale) {
        try {
          const result =
            connection.provider === 'google' && google
              ? await syncGoogleBusy({ ...options, google }, connection)
              : connection.provider === 'microsoft' && microsoft
                ? await syncMicrosoftBusy({ ...options, microsoft }, connection)
                : null;
          if (result?.outcome === 'revoked') revoked.push({ tenantId: result.tenantId, resourceId: result.resourceId, reason: result.reason });
        } catch (error) {
          // Recorded on the connection (last_error); the next minute tries again.
          options.onError?.(error, connection);
        }
      }
      return [...revoked, ...failing];
    },
  };
}

/** The due ICS feeds; one that failed past its bound is reported like a revoked calendar, with its own kind. */
async function refreshIcsFeeds(options: CalendarProviderOptions & { ics: NonNullable<CalendarProviderOptions['ics']> }, now: Date) {
  try {
    const gaveUp = await refreshDueIcsImports(
      { pool: options.pool, keyring: options.keyring, batchSize: options.batchSize, onError: (error, feed) => options.onError?.(error, { tenantId: feed.tenantId, connectionId: feed.importId }), ...options.ics },
      now,
    );
    return gaveUp.map((feed) => ({ ...feed, kind: 'ics_feed_failing' as const }));
  } catch (error) {
    // Listing the due feeds failed (the database): the next minute tries again.
    options.onError?.(error, { tenantId: '', connectionId: 'ics' });
    return [];
  }
}
