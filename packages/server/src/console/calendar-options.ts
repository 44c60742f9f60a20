import type { GoogleCalendarOptions, MicrosoftConnectOptions } from '@gomomo/channels';
import type { Keyring } from '@gomomo/core';

/** What the console needs to connect calendars: the keyring for the tokens and each configured provider. */
export interface CalendarConnectOptions {
  /** Encrypts the refresh tokens (core's secrets store). */
  keyring: Keyring;
  google?: GoogleCalendarOptions | null | undefined;
  microsoft?: MicrosoftConnectOptions | null | undefined;
}
