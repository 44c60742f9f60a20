import { clearExternalBusy, deleteSecret, readSecret, withTenant, type Keyring, type Pool } from '@gomomo/core';
import { busySourceOf, secretNameOf, type CalendarConnection } from './connections.js';
import type { GoogleCalendarOptions } from './google/google-api.js';

export interface DisconnectInput {
  tenantId: string;
  resourceId: string;
  provider: 'google' | 'microsoft';
}

export type DisconnectOutcome =
  /** `revokedAtProvider`: the provider confirmed the grant is gone (false: it could not be asked, or said no). */
  | { outcome: 'disconnected'; connectionId: string; revokedAtProvider: boolean; clearedBusy: number }
  | { outcome: 'not_connected' };

/** Google's revocation endpoint (RFC 7009), beside its token endpoint (`oauth2.googleapis.com/revoke`). */
function googleRevokeUrlOf(google: GoogleCalendarOptions): string {
  return new URL('revoke', google.endpoints?.tokenUrl ?? 'https://oauth2.googleapis.com/token').toString();
}

/**
 * Best effort: asks the provider to revoke the refresh token. Google has a revocation endpoint.
 * Microsoft's identity platform has none for one delegated grant (only signing the user out of every
 * session, `revokeSignInSessions`, which is not ours to do); its token becomes useless once deleted
 * here, and the user can remove the app's consent in their account.
 */
async function revokeAtProvider(input: { provider: 'google' | 'microsoft'; token: string; google?: GoogleCalendarOptions | undefined }): Promise<boolean> {
  if (input.provider !== 'google' || !input.google) return false;
  try {
    const response = await fetch(googleRevokeUrlOf(input.google), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: input.token }),
      signal: AbortSignal.timeout(5000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

async function findConnection(pool: Pool, input: DisconnectInput): Promise<CalendarConnection | null> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<CalendarConnection>(
        `SELECT id, tenant_id AS "tenantId", resource_id AS "resourceId", provider, calendar_id AS "calendarId", status, sync_token AS "syncToken", synced_at AS "syncedAt"
           FROM calendar_connections WHERE tenant_id = $1 AND resource_id = $2 AND provider = $3`,
        [input.tenantId, input.resourceId, input.provider],
      );
      return rows[0] ?? null;
    },
    { isolation: 'read committed' },
  );
}

/**
 * Disconnects a resource's calendar: the refresh token is revoked at the provider (best effort),
 * then in one transaction deleted from the secrets store, the connection's busy time cleared (its
 * slots are offered again at once) and the connection removed (with its event links). Idempotent:
 * a second call, or a retry after a crash, finds nothing and answers `not_connected`; a retry
 * between the revocation and the transaction revokes again, which the provider refuses harmlessly.
 * Events already written to the calendar stay there: they belong to its owner now.
 */
export async function disconnectCalendar(deps: { pool: Pool; keyring: Keyring; google?: GoogleCalendarOptions | undefined }, input: DisconnectInput): Promise<DisconnectOutcome> {
  const connection = await findConnection(deps.pool, input);
  if (!connection) return { outcome: 'not_connected' };
  const secret = { tenantId: input.tenantId, name: secretNameOf(connection.id) };
  // A token no key can read any more (a removed key) is deleted all the same.
  const token = await withTenant(deps.pool, input.tenantId, (client) => readSecret(client, deps.keyring, secret).catch(() => null), { isolation: 'read committed' });
  const revokedAtProvider = token ? await revokeAtProvider({ provider: input.provider, token, google: deps.google }) : false;
  return withTenant(deps.pool, input.tenantId, async (client) => {
    await deleteSecret(client, secret);
    const clearedBusy = await clearExternalBusy(client, { tenantId: input.tenantId, resourceId: connection.resourceId, source: busySourceOf(connection) });
    const { rowCount } = await client.query('DELETE FROM calendar_connections WHERE tenant_id = $1 AND id = $2', [input.tenantId, connection.id]);
    if (rowCount === 0) return { outcome: 'not_connected' as const };
    return { outcome: 'disconnected' as const, connectionId: connection.id, revokedAtProvider, clearedBusy };
  });
}
