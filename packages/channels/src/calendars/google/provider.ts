import type { Clock, Keyring, Pool } from '@gomomo/core';
import { isChannelError } from '../../errors.js';
import { listStaleConnections } from '../connections.js';
import { syncGoogleBusy } from './busy-sync.js';
import { writeGoogleEvent, type CalendarEventInput } from './event-writer.js';
import type { GoogleCalendarOptions } from './google-api.js';

export interface GoogleCalendarProviderOptions {
  pool: Pool;
  clock: Clock;
  google: GoogleCalendarOptions;
  keyring: Keyring;
  /** How old a calendar's busy time may get before the worker re-reads it (default 5 minutes). */
  maxStalenessMs?: number;
  /** Connections refreshed per run of the minute job (default 200). */
  batchSize?: number;
  /** Where a failed refresh is reported (never with a token in it). */
  onError?: (error: unknown, connection: { tenantId: string; connectionId: string }) => void;
}

/**
 * Google Calendar behind autonomy's `CalendarProvider`: bookings are written through its retry
 * machinery (`sync`), a revoked grant is permanent (`isPermanent`: staff at once), and the
 * worker's minute job keeps busy time within `maxStalenessMs` (`refreshBusy`). Resources with no
 * connected calendar stay database-only.
 */
export function createGoogleCalendarProvider(options: GoogleCalendarProviderOptions) {
  const maxStalenessMs = options.maxStalenessMs ?? 300_000;
  return {
    name: 'google',
    async sync(appointment: CalendarEventInput): Promise<void> {
      await writeGoogleEvent(options, appointment);
    },
    isPermanent(error: unknown): boolean {
      return isChannelError(error, 'PERMANENT');
    },
    async refreshBusy(now: Date): Promise<{ tenantId: string; resourceId: string; reason: string }[]> {
      const stale = await listStaleConnections(options.pool, { before: new Date(now.getTime() - maxStalenessMs), limit: options.batchSize ?? 200 });
      const revoked: { tenantId: string; resourceId: string; reason: string }[] = [];
      for (const connection of stale.filter((c) => c.provider === 'google')) {
        try {
          const result = await syncGoogleBusy(options, connection);
          if (result.outcome === 'revoked') revoked.push({ tenantId: result.tenantId, resourceId: result.resourceId, reason: result.reason });
        } catch (error) {
          // Recorded on the connection (last_error); the next minute tries again.
          options.onError?.(error, connection);
        }
      }
      return revoked;
    },
  };
}
