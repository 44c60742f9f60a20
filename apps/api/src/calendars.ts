import type { CalendarProviderOptions, GoogleCalendarOptions, MicrosoftConnectOptions } from '@gomomo/channels';
import type { Keyring } from '@gomomo/core';
import { isOn, type AppConfig } from './config.js';

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

/** Microsoft 365's settings, or null when no app registration is configured. */
export function microsoftOptionsOf(config: AppConfig): MicrosoftConnectOptions | null {
  if (!config.MICROSOFT_CLIENT_ID || !config.MICROSOFT_CLIENT_SECRET) return null;
  const base = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
  const login = `${config.MICROSOFT_LOGIN_BASE_URL ?? 'https://login.microsoftonline.com'}/${config.MICROSOFT_TENANT}/oauth2/v2.0`;
  return {
    clientId: config.MICROSOFT_CLIENT_ID,
    clientSecret: config.MICROSOFT_CLIENT_SECRET,
    redirectUri: config.MICROSOFT_REDIRECT_URL ?? new URL('/v1/calendars/microsoft/callback', base).toString(),
    authorizeUrl: `${login}/authorize`,
    tokenUrl: `${login}/token`,
    graphBaseUrl: config.MICROSOFT_GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0',
  };
}

/**
 * Outside ICS feeds as busy time, or undefined when no encryption key is configured (the feed URLs
 * are stored encrypted, so none can have been registered).
 */
export function icsImportOptionsOf(config: AppConfig, keyring: Keyring): CalendarProviderOptions['ics'] {
  if (keyring.ids.length === 0) return undefined;
  return {
    allowLoopback: isOn(config.ICS_ALLOW_LOOPBACK_URLS, false),
    refreshIntervalMs: config.ICS_REFRESH_MINUTES * 60_000,
    keepLastGoodMs: config.ICS_KEEP_LAST_GOOD_HOURS * 3_600_000,
  };
}
