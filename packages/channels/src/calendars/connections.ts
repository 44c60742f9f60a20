import type { Pool, Queryable } from '@gomomo/core';
import { ChannelError } from '../errors.js';

/** A calendar connected to a resource. The refresh token is in core's secrets store under `secretName`. */
export interface CalendarConnection {
  id: string;
  tenantId: string;
  resourceId: string;
  provider: 'google' | 'microsoft';
  calendarId: string;
  status: 'active' | 'revoked';
  syncToken: string | null;
  syncedAt: Date | null;
}

const columns = `id, tenant_id AS "tenantId", resource_id AS "resourceId", provider, calendar_id AS "calendarId", status,
  sync_token AS "syncToken", synced_at AS "syncedAt"`;

/** Where a connection's refresh token is kept in the secrets store. */
export function secretNameOf(connectionId: string): string {
  return `calendar:${connectionId}`;
}

/** The external-busy source of a connection (one per connection, so a disconnect clears exactly its blocks). */
export function busySourceOf(connection: Pick<CalendarConnection, 'provider' | 'id'>): string {
  return `${connection.provider}:${connection.id}`;
}

export async function saveOAuthState(
  client: Queryable,
  state: { stateHash: string; tenantId: string; resourceId: string; provider: 'google' | 'microsoft'; boundTo: string; codeVerifier: string; expiresAt: Date },
): Promise<void> {
  await client.query(
    `INSERT INTO calendar_oauth_states (state_hash, tenant_id, resource_id, provider, bound_to, code_verifier, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [state.stateHash, state.tenantId, state.resourceId, state.provider, state.boundTo, state.codeVerifier, state.expiresAt],
  );
}

/** A started authorization, as its callback takes it. */
export interface TakenOAuthState {
  tenantId: string;
  resourceId: string;
  provider: 'google' | 'microsoft';
  codeVerifier: string;
}

/**
 * Takes (deletes) a state once, only for the one it is bound to: a replayed callback finds nothing
 * (`unknown`), and a callback from another session or key (`another_binding`) leaves it for the
 * one that started the flow. As the owner: the callback names no tenant.
 */
export async function takeOAuthState(pool: Pool, input: { stateHash: string; boundToHash: string; now: Date }): Promise<TakenOAuthState | 'unknown' | 'another_binding'> {
  const { rows } = await pool.query<TakenOAuthState & { expiresAt: Date }>(
    `DELETE FROM calendar_oauth_states WHERE state_hash = $1 AND bound_to = $2
     RETURNING tenant_id AS "tenantId", resource_id AS "resourceId", provider, code_verifier AS "codeVerifier", expires_at AS "expiresAt"`,
    [input.stateHash, input.boundToHash],
  );
  const row = rows[0];
  if (row) return row.expiresAt.getTime() > input.now.getTime() ? { tenantId: row.tenantId, resourceId: row.resourceId, provider: row.provider, codeVerifier: row.codeVerifier } : 'unknown';
  const other = await pool.query('SELECT 1 FROM calendar_oauth_states WHERE state_hash = $1 AND expires_at > $2', [input.stateHash, input.now]);
  return other.rowCount ? 'another_binding' : 'unknown';
}

/** The callback's check of its state: the started flow, or a VALIDATION error naming `state`. */
export async function takeOAuthStateOrThrow(pool: Pool, input: { stateHash: string; boundToHash: string; now: Date; provider: 'google' | 'microsoft' }): Promise<TakenOAuthState> {
  const started = await takeOAuthState(pool, input);
  if (started === 'another_binding') throw new ChannelError('VALIDATION', 'state: was issued to another session (connect again from the same browser)', { field: 'state' });
  if (started === 'unknown' || started.provider !== input.provider) throw new ChannelError('VALIDATION', 'state: unknown, used or expired (connect again)', { field: 'state' });
  return started;
}

/** Creates or re-activates the resource's connection to the provider; a reconnect starts its sync afresh. */
export async function upsertConnection(client: Queryable, input: { tenantId: string; resourceId: string; provider: 'google' | 'microsoft'; calendarId: string }): Promise<CalendarConnection> {
  const { rows } = await client.query<CalendarConnection>(
    `INSERT INTO calendar_connections (tenant_id, resource_id, provider, calendar_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, resource_id, provider) DO UPDATE SET calendar_id = EXCLUDED.calendar_id, status = 'active', sync_token = NULL,
       synced_at = NULL, last_error = '', updated_at = now()
     RETURNING ${columns}`,
    [input.tenantId, input.resourceId, input.provider, input.calendarId],
  );
  return rows[0]!;
}

export async function readConnection(client: Queryable, input: { tenantId: string; connectionId: string }): Promise<CalendarConnection | null> {
  const { rows } = await client.query<CalendarConnection>(`SELECT ${columns} FROM calendar_connections WHERE tenant_id = $1 AND id = $2`, [input.tenantId, input.connectionId]);
  return rows[0] ?? null;
}

/** The resource's active connection to `provider`, if any (none: the resource is database-only). */
export async function findActiveConnection(client: Queryable, input: { tenantId: string; resourceId: string; provider: 'google' | 'microsoft' }): Promise<CalendarConnection | null> {
  const { rows } = await client.query<CalendarConnection>(
    `SELECT ${columns} FROM calendar_connections WHERE tenant_id = $1 AND resource_id = $2 AND provider = $3 AND status = 'active'`,
    [input.tenantId, input.resourceId, input.provider],
  );
  return rows[0] ?? null;
}

export async function recordSync(client: Queryable, input: { tenantId: string; connectionId: string; syncToken: string | null; at: Date }): Promise<void> {
  await client.query(`UPDATE calendar_connections SET sync_token = $3, synced_at = $4, last_error = '', updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
    input.tenantId,
    input.connectionId,
    input.syncToken,
    input.at,
  ]);
}

export async function recordSyncError(client: Queryable, input: { tenantId: string; connectionId: string; error: string }): Promise<void> {
  await client.query(`UPDATE calendar_connections SET last_error = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [input.tenantId, input.connectionId, input.error.slice(0, 1000)]);
}

/** The grant was refused for good: the resource is database-only until someone reconnects it. */
export async function markRevoked(client: Queryable, input: { tenantId: string; connectionId: string; error: string }): Promise<void> {
  await client.query(`UPDATE calendar_connections SET status = 'revoked', sync_token = NULL, last_error = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
    input.tenantId,
    input.connectionId,
    input.error.slice(0, 1000),
  ]);
}

/** Active connections whose busy time is older than `before` (never synced first), as the owner (all tenants). */
export async function listStaleConnections(pool: Pool, input: { before: Date; limit: number }): Promise<{ tenantId: string; connectionId: string; provider: 'google' | 'microsoft' }[]> {
  const { rows } = await pool.query<{ tenantId: string; connectionId: string; provider: 'google' | 'microsoft' }>(
    `SELECT tenant_id AS "tenantId", id AS "connectionId", provider FROM calendar_connections
      WHERE status = 'active' AND (synced_at IS NULL OR synced_at < $1) ORDER BY synced_at NULLS FIRST LIMIT $2`,
    [input.before, input.limit],
  );
  return rows;
}

/**
 * Remembers that `eventId` in `connectionId`'s calendar mirrors the appointment. Microsoft needs it
 * to find its own ids; for Google (deterministic ids) it records which resource's calendar holds
 * the event, so a move to another resource can take it out of the old one.
 */
export async function linkEvent(client: Queryable, link: { tenantId: string; appointmentId: string; connectionId: string; eventId: string }): Promise<void> {
  await client.query(
    `INSERT INTO calendar_event_links (tenant_id, appointment_id, connection_id, event_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, appointment_id, connection_id) DO UPDATE SET event_id = EXCLUDED.event_id`,
    [link.tenantId, link.appointmentId, link.connectionId, link.eventId],
  );
}

export async function unlinkEvent(client: Queryable, link: { tenantId: string; appointmentId: string; connectionId: string }): Promise<void> {
  await client.query('DELETE FROM calendar_event_links WHERE tenant_id = $1 AND appointment_id = $2 AND connection_id = $3', [link.tenantId, link.appointmentId, link.connectionId]);
}

/** The appointment's events in calendars of other resources than `resourceId` (left behind by a move). */
export async function listEventsElsewhere(client: Queryable, input: { tenantId: string; appointmentId: string; resourceId: string }): Promise<{ connection: CalendarConnection; eventId: string }[]> {
  const { rows } = await client.query<CalendarConnection & { eventId: string }>(
    `SELECT c.id, c.tenant_id AS "tenantId", c.resource_id AS "resourceId", c.provider, c.calendar_id AS "calendarId", c.status,
            c.sync_token AS "syncToken", c.synced_at AS "syncedAt", l.event_id AS "eventId"
       FROM calendar_event_links l JOIN calendar_connections c ON c.tenant_id = l.tenant_id AND c.id = l.connection_id
      WHERE l.tenant_id = $1 AND l.appointment_id = $2 AND c.resource_id <> $3`,
    [input.tenantId, input.appointmentId, input.resourceId],
  );
  return rows.map(({ eventId, ...connection }) => ({ connection, eventId }));
}

/** A connection as staff see it: no token, the last error in words. */
export interface ConnectionStatus {
  id: string;
  resourceId: string;
  provider: 'google' | 'microsoft';
  calendarId: string;
  /** `error`: connected, but the last sync failed (see `lastError`); `revoked`: the grant was refused for good. */
  status: 'connected' | 'error' | 'revoked';
  lastError: string | null;
  syncedAt: Date | null;
}

/** The tenant's calendar connections, for the console's settings. */
export async function listConnectionStatuses(client: Queryable, tenantId: string): Promise<ConnectionStatus[]> {
  const { rows } = await client.query<CalendarConnection & { lastError: string }>(
    `SELECT ${columns}, last_error AS "lastError" FROM calendar_connections WHERE tenant_id = $1 ORDER BY resource_id, provider`,
    [tenantId],
  );
  return rows.map((row) => ({
    id: row.id,
    resourceId: row.resourceId,
    provider: row.provider,
    calendarId: row.calendarId,
    status: row.status === 'revoked' ? 'revoked' : row.lastError ? 'error' : 'connected',
    lastError: row.lastError || null,
    syncedAt: row.syncedAt,
  }));
}
