import type { calendar_v3 } from '@googleapis/calendar';
import type { OAuth2Client } from 'google-auth-library';
import { ChannelError } from '../../errors.js';

/** How to reach Google: the OAuth client of the deployment, and (tests, proxies) other endpoints. */
export interface GoogleCalendarOptions {
  clientId: string;
  clientSecret: string;
  /** Where Google sends the browser back (`…/v1/calendars/google/callback`). */
  redirectUri: string;
  /** Other endpoints than Google's (the fake Google in tests). */
  endpoints?: { authBaseUrl?: string; tokenUrl?: string; apiRootUrl?: string } | undefined;
}

/** Read busy time and write our own events: the narrowest scopes that do both. */
export const googleScopes = ['https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/calendar.freebusy'];

/** An OAuth client; the SDKs load on first use, so an install without calendars never pays for them. */
export async function createOAuthClient(options: GoogleCalendarOptions): Promise<OAuth2Client> {
  const { OAuth2Client } = await import('google-auth-library');
  return new OAuth2Client({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    endpoints: {
      ...(options.endpoints?.authBaseUrl ? { oauth2AuthBaseUrl: options.endpoints.authBaseUrl } : {}),
      ...(options.endpoints?.tokenUrl ? { oauth2TokenUrl: options.endpoints.tokenUrl } : {}),
    },
  });
}

/** The calendar client acting with a stored refresh token (the library refreshes access tokens itself). */
export async function createCalendarClient(options: GoogleCalendarOptions, refreshToken: string): Promise<calendar_v3.Calendar> {
  const auth = await createOAuthClient(options);
  auth.setCredentials({ refresh_token: refreshToken });
  const { calendar } = await import('@googleapis/calendar');
  // No retries inside the client: failures go back to our own schedule (30 s → 120 s → 480 s).
  return calendar({ version: 'v3', auth, retry: false, ...(options.endpoints?.apiRootUrl ? { rootUrl: options.endpoints.apiRootUrl } : {}) });
}

interface GaxiosLike {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

/** Status and reason of a failed call, from gaxios's error (`response.status`, Google's error body). */
export function describeGoogleError(error: unknown): { status: number | undefined; reason: string; isInvalidGrant: boolean } {
  const e = (error ?? {}) as GaxiosLike;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const data = e.response?.data as { error?: unknown; error_description?: unknown } | undefined;
  const oauthError = typeof data?.error === 'string' ? data.error : undefined;
  const apiReason = typeof data?.error === 'object' && data.error !== null ? ((data.error as { errors?: { reason?: string }[] }).errors?.[0]?.reason ?? (data.error as { message?: string }).message) : undefined;
  const reason = oauthError ?? apiReason ?? e.message ?? 'unknown error';
  // RFC 6749 §5.2: invalid_grant is a revoked, expired or otherwise dead refresh token.
  return { status, reason: String(reason).slice(0, 300), isInvalidGrant: oauthError === 'invalid_grant' || /invalid_grant/.test(e.message ?? '') };
}

/** Our error for a failed Google call: what the retry machinery should do with it. */
export function toChannelError(error: unknown, what: string): ChannelError {
  const { status, reason, isInvalidGrant } = describeGoogleError(error);
  if (isInvalidGrant) return new ChannelError('PERMANENT', `${what}: Google refused the stored grant (invalid_grant): reconnect the calendar`, { cause: error });
  if (status === 429 || (status === 403 && /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/.test(reason))) {
    return new ChannelError('RATE_LIMITED', `${what}: Google asked us to slow down (${status} ${reason})`, { cause: error, retryAfterMs: 30_000 });
  }
  if (status === 401 || status === 403 || status === 404) return new ChannelError('PERMANENT', `${what}: Google answered ${status} (${reason})`, { cause: error });
  return new ChannelError('TRANSIENT', `${what}: Google answered ${status ?? 'no status'} (${reason})`, { cause: error });
}
