import type { GoogleCalendarOptions } from '@gomomo/channels';
import type { AppConfig } from './config.js';

/** Google Calendar's settings, or null when no OAuth client is configured (every resource is database-only). */
export function googleOptionsOf(config: AppConfig): GoogleCalendarOptions | null {
  if (!config.GOOGLE_CLIENT_ID || !config.GOOGLE_CLIENT_SECRET) return null;
  const base = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
  return {
    clientId: config.GOOGLE_CLIENT_ID,
    clientSecret: config.GOOGLE_CLIENT_SECRET,
    redirectUri: config.GOOGLE_REDIRECT_URL ?? new URL('/v1/calendars/google/callback', base).toString(),
    endpoints: {
      ...(config.GOOGLE_OAUTH_BASE_URL ? { authBaseUrl: config.GOOGLE_OAUTH_BASE_URL } : {}),
      ...(config.GOOGLE_TOKEN_URL ? { tokenUrl: config.GOOGLE_TOKEN_URL } : {}),
      ...(config.GOOGLE_API_ROOT_URL ? { apiRootUrl: config.GOOGLE_API_ROOT_URL } : {}),
    },
  };
}
