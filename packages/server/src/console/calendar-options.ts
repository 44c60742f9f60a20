import type { GoogleCalendarOptions, MicrosoftConnectOptions } from '@gomomo/channels';
import type { Keyring } from '@gomomo/core';

/** What the console needs to connect calendars: the keyring for the tokens and each configured provider. */
export interface CalendarConnectOptions {
  /** Encrypts the refresh tokens (core's secrets store). */
  keyring: Keyring;
  google?: GoogleCalendarOptions | null | undefined;
  microsoft?: MicrosoftConnectOptions | null | undefined;
}

/** What the console needs for ICS feeds. */
export interface IcsConsoleOptions {
  /** Encrypts the outside feeds' URLs (core's secrets store). */
  keyring: Keyring;
  /** Development and tests only: outside ICS URLs may reach this host (see channels' `fetchIcs`). */
  allowLoopback: boolean;
  /** The public URL of a subscription token: the host serves the feed (apps/api: `GET /v1/ics/<token>.ics`). */
  feedUrlOf: (token: string) => string;
  /** How long a failing feed's last good busy time is kept (as the worker is configured). */
  keepLastGoodMs?: number | undefined;
}
