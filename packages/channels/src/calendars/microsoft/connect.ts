import { createHash, randomBytes } from 'node:crypto';
import { listResources, withTenant, writeSecret, type Clock, type Keyring, type Pool } from '@gomomo/core';
import { ChannelError } from '../../errors.js';
import { saveOAuthState, secretNameOf, takeOAuthStateOrThrow, upsertConnection, type CalendarConnection } from '../connections.js';
import type { StartConnectInput } from '../google/connect.js';
import { graphError, microsoftScopes, type MicrosoftCalendarOptions } from './graph.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface MicrosoftConnectOptions extends MicrosoftCalendarOptions {
  redirectUri: string;
  /** Default `https://login.microsoftonline.com/common/oauth2/v2.0/authorize`. */
  authorizeUrl?: string | undefined;
}

/** Step 1 for Microsoft 365: authorization code with PKCE (S256), the same state rules as Google's. */
export async function startMicrosoftConnect(deps: { pool: Pool; clock: Clock; microsoft: MicrosoftConnectOptions }, input: StartConnectInput): Promise<{ authorizationUrl: string; expiresAt: Date }> {
  const resources = await listResources(deps.pool, input.tenantId);
  if (!resources.some((r) => r.id === input.resourceId)) throw new ChannelError('NOT_FOUND', `resourceId: resource ${input.resourceId} does not exist`, { field: 'resourceId' });
  const codeVerifier = randomBytes(48).toString('base64url');
  const state = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.clock.now().getTime() + 10 * 60_000);
  await withTenant(deps.pool, input.tenantId, (client) =>
    saveOAuthState(client, { stateHash: sha256(state), tenantId: input.tenantId, resourceId: input.resourceId, provider: 'microsoft', boundTo: sha256(input.boundTo), codeVerifier, expiresAt }),
  );
  const url = new URL(deps.microsoft.authorizeUrl ?? 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
  url.search = new URLSearchParams({
    client_id: deps.microsoft.clientId,
    response_type: 'code',
    redirect_uri: deps.microsoft.redirectUri,
    response_mode: 'query',
    scope: microsoftScopes,
    state,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
    prompt: 'consent',
  }).toString();
  return { authorizationUrl: url.toString(), expiresAt };
}

/** Step 2: checks the state, exchanges the code with the verifier, keeps the refresh token encrypted, reads the mailbox address getSchedule needs. */
export async function finishMicrosoftConnect(
  deps: { pool: Pool; clock: Clock; microsoft: MicrosoftConnectOptions; keyring: Keyring },
  input: { state: string; code: string; boundTo: string },
): Promise<CalendarConnection> {
  const started = await takeOAuthStateOrThrow(deps.pool, { stateHash: sha256(input.state), boundToHash: sha256(input.boundTo), now: deps.clock.now(), provider: 'microsoft' });
  const response = await fetch(deps.microsoft.tokenUrl ?? 'https://login.microsoftonline.com/common/oauth2/v2.0/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: deps.microsoft.clientId,
      client_secret: deps.microsoft.clientSecret,
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: deps.microsoft.redirectUri,
      code_verifier: started.codeVerifier,
      scope: microsoftScopes,
    }),
  });
  const tokens = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string };
  if (!response.ok || !tokens.access_token) throw graphError('Connecting Microsoft 365', response.status, tokens);
  if (!tokens.refresh_token) throw new ChannelError('PERMANENT', 'Microsoft returned no refresh token (offline_access was not granted): connect again', { field: 'code' });
  const me = await fetch(`${deps.microsoft.graphBaseUrl ?? 'https://graph.microsoft.com/v1.0'}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const profile = (await me.json().catch(() => ({}))) as { mail?: string | null; userPrincipalName?: string };
  const mailbox = profile.mail ?? profile.userPrincipalName;
  if (!me.ok || !mailbox) throw graphError('Reading the Microsoft mailbox', me.status, profile);
  return withTenant(deps.pool, started.tenantId, async (client) => {
    const connection = await upsertConnection(client, { tenantId: started.tenantId, resourceId: started.resourceId, provider: 'microsoft', calendarId: mailbox });
    await writeSecret(client, deps.keyring, { tenantId: started.tenantId, name: secretNameOf(connection.id), value: tokens.refresh_token! });
    return connection;
  });
}
