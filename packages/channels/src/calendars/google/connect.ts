import { createHash, randomBytes } from 'node:crypto';
import { listResources, withTenant, writeSecret, type Clock, type Keyring, type Pool } from '@gomomo/core';
import { ChannelError } from '../../errors.js';
import { saveOAuthState, secretNameOf, takeOAuthStateOrThrow, upsertConnection, type CalendarConnection } from '../connections.js';
import { createOAuthClient, googleScopes, toChannelError, type GoogleCalendarOptions } from './google-api.js';

const stateTtlMs = 10 * 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface StartConnectInput {
  tenantId: string;
  resourceId: string;
  /**
   * Who started the flow; the callback must present the same value. The staff console will pass
   * its session id here; until it exists the API passes its key id plus a cookie set on the
   * browser that began the flow (see apps/api's calendar routes).
   */
  boundTo: string;
}

/**
 * Step 1 of connecting a resource to a Google calendar: OAuth 2 authorization code with PKCE
 * (RFC 7636, S256) and offline access, so Google issues a refresh token. Returns the URL to send
 * the browser to. The state is single use, expires in ten minutes and is stored hashed.
 */
export async function startGoogleConnect(deps: { pool: Pool; clock: Clock; google: GoogleCalendarOptions }, input: StartConnectInput): Promise<{ authorizationUrl: string; expiresAt: Date }> {
  const oauth = await createOAuthClient(deps.google);
  const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
  const state = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.clock.now().getTime() + stateTtlMs);
  const resources = await listResources(deps.pool, input.tenantId);
  if (!resources.some((r) => r.id === input.resourceId)) throw new ChannelError('NOT_FOUND', `resourceId: resource ${input.resourceId} does not exist`, { field: 'resourceId' });
  await withTenant(deps.pool, input.tenantId, async (client) => {
    await saveOAuthState(client, { stateHash: sha256(state), tenantId: input.tenantId, resourceId: input.resourceId, provider: 'google', boundTo: sha256(input.boundTo), codeVerifier: codeVerifier!, expiresAt });
  });
  const authorizationUrl = oauth.generateAuthUrl({
    access_type: 'offline',
    // Google gives a refresh token only on consent; a reconnect must ask again to get a new one.
    prompt: 'consent',
    scope: googleScopes,
    state,
    code_challenge: codeChallenge!,
    code_challenge_method: 'S256' as never,
  });
  return { authorizationUrl, expiresAt };
}

/**
 * Step 2, the callback: checks the state (known, unexpired, unused, bound to the same starter),
 * exchanges the code with the PKCE verifier, and keeps the refresh token in the secrets store.
 * The token is never returned, logged or audited.
 */
export async function finishGoogleConnect(
  deps: { pool: Pool; clock: Clock; google: GoogleCalendarOptions; keyring: Keyring },
  input: { state: string; code: string; boundTo: string; calendarId?: string },
): Promise<CalendarConnection> {
  if (input.state.length < 20 || input.state.length > 200) throw new ChannelError('VALIDATION', 'state: is not a state this server issued', { field: 'state' });
  if (input.code.length < 1 || input.code.length > 2000) throw new ChannelError('VALIDATION', 'code: is missing or too long', { field: 'code' });
  const started = await takeOAuthStateOrThrow(deps.pool, { stateHash: sha256(input.state), boundToHash: sha256(input.boundTo), now: deps.clock.now(), provider: 'google' });
  const oauth = await createOAuthClient(deps.google);
  let refreshToken: string | null | undefined;
  try {
    const { tokens } = await oauth.getToken({ code: input.code, codeVerifier: started.codeVerifier });
    refreshToken = tokens.refresh_token;
  } catch (error) {
    throw toChannelError(error, 'Connecting Google Calendar');
  }
  if (!refreshToken) throw new ChannelError('PERMANENT', 'Google returned no refresh token (offline access was not granted): connect again', { field: 'code' });
  return withTenant(deps.pool, started.tenantId, async (client) => {
    const connection = await upsertConnection(client, { tenantId: started.tenantId, resourceId: started.resourceId, provider: 'google', calendarId: input.calendarId ?? 'primary' });
    await writeSecret(client, deps.keyring, { tenantId: started.tenantId, name: secretNameOf(connection.id), value: refreshToken });
    return connection;
  });
}
