import { createHash } from 'node:crypto';
import { readSecret, withTenant, writeSecret, type Keyring, type Pool } from '@gomomo/core';
import { ChannelError } from '../../errors.js';
import { secretNameOf, type CalendarConnection } from '../connections.js';

/** How to reach Microsoft: the app registration, and (tests, proxies) other endpoints. */
export interface MicrosoftCalendarOptions {
  clientId: string;
  clientSecret: string;
  /** Default `https://login.microsoftonline.com/common/oauth2/v2.0/token`. */
  tokenUrl?: string | undefined;
  /** Default `https://graph.microsoft.com/v1.0`. */
  graphBaseUrl?: string | undefined;
}

export const microsoftScopes = 'offline_access Calendars.ReadWrite';

/** A Graph call's failure as our error: what the retry machinery should do with it. */
export function graphError(what: string, status: number, body: unknown): ChannelError {
  const code = (body as { error?: unknown })?.error;
  const reason = typeof code === 'string' ? code : ((code as { code?: string } | undefined)?.code ?? 'unknown');
  // RFC 6749 §5.2 (the identity platform answers invalid_grant for a revoked or expired refresh token).
  if (reason === 'invalid_grant') return new ChannelError('PERMANENT', `${what}: Microsoft refused the stored grant (invalid_grant): reconnect the calendar`);
  if (status === 429) return new ChannelError('RATE_LIMITED', `${what}: Microsoft asked us to slow down (429 ${reason})`, { retryAfterMs: 30_000 });
  if (status === 401 || status === 403 || status === 404) return new ChannelError('PERMANENT', `${what}: Microsoft answered ${status} (${reason})`);
  return new ChannelError('TRANSIENT', `${what}: Microsoft answered ${status} (${reason})`);
}

/**
 * A Graph session for one connection: exchanges the stored refresh token for an access token
 * (plain fetch; the identity platform may rotate the refresh token, and the new one replaces the
 * old in the secrets store), then calls Graph with it.
 */
export async function openGraph(deps: { pool: Pool; keyring: Keyring; microsoft: MicrosoftCalendarOptions }, connection: CalendarConnection) {
  const name = secretNameOf(connection.id);
  const refreshToken = await withTenant(deps.pool, connection.tenantId, (client) => readSecret(client, deps.keyring, { tenantId: connection.tenantId, name }));
  if (!refreshToken) throw new ChannelError('PERMANENT', 'Microsoft calendar: the stored grant is missing (invalid_grant): reconnect the calendar');
  const response = await fetch(deps.microsoft.tokenUrl ?? 'https://login.microsoftonline.com/common/oauth2/v2.0/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: deps.microsoft.clientId, client_secret: deps.microsoft.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken, scope: microsoftScopes }),
  });
  const token = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string };
  if (!response.ok || !token.access_token) throw graphError('Refreshing the Microsoft token', response.status, token);
  if (token.refresh_token && token.refresh_token !== refreshToken) {
    await withTenant(deps.pool, connection.tenantId, (client) => writeSecret(client, deps.keyring, { tenantId: connection.tenantId, name, value: token.refresh_token! }));
  }
  const base = deps.microsoft.graphBaseUrl ?? 'https://graph.microsoft.com/v1.0';
  return async function graph<T>(what: string, path: string, init: { method: string; body?: unknown }): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}${path}`, {
      method: init.method,
      headers: { authorization: `Bearer ${token.access_token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const body = (res.status === 204 ? {} : await res.json().catch(() => ({}))) as T;
    if (!res.ok && res.status !== 404) throw graphError(what, res.status, body);
    return { status: res.status, body };
  };
}

/** Graph's `transactionId` for an appointment's event: a retried create returns the same event. */
export function transactionIdOf(appointmentId: string): string {
  return `gomomo-${createHash('sha256').update(appointmentId).digest('hex').slice(0, 32)}`;
}
