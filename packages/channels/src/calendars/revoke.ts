import { clearExternalBusy, withTenant, type Pool } from '@gomomo/core';
import { busySourceOf, markRevoked, type CalendarConnection } from './connections.js';

/**
 * The grant was refused for good (invalid_grant): the connection is revoked and its busy time
 * cleared in one transaction, so the resource is database-only at once. Staff are told by the
 * caller (autonomy escalates).
 */
export async function revokeConnection(pool: Pool, connection: CalendarConnection, reason: string): Promise<{ outcome: 'revoked'; tenantId: string; resourceId: string; reason: string }> {
  await withTenant(pool, connection.tenantId, async (client) => {
    await markRevoked(client, { tenantId: connection.tenantId, connectionId: connection.id, error: reason });
    await clearExternalBusy(client, { tenantId: connection.tenantId, resourceId: connection.resourceId, source: busySourceOf(connection) });
  });
  return { outcome: 'revoked', tenantId: connection.tenantId, resourceId: connection.resourceId, reason };
}
