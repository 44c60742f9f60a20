import type { Clock, Pool } from '@gomomo/core';
import { readCookie, staffCookieName } from './cookies.js';
import { findSession } from './staff-store.js';
import { hashToken } from './tokens.js';

/**
 * What a calendar connection's OAuth `state` is bound to when an owner starts it in the console:
 * their session (the hash of its token, which is how the server names a session). The provider's
 * callback finishes only in a browser presenting that same session.
 */
export function calendarBindingOf(staffToken: string): string {
  return `staff-session:${hashToken(staffToken).toString('hex')}`;
}

/** The owner behind a request's console cookie, with the binding their callbacks present. */
export interface CalendarOwner {
  tenantId: string;
  staffId: string;
  boundTo: string;
}

/**
 * For the calendar OAuth callback (a plain GET from the provider's redirect, so no CSRF header):
 * the signed-in owner behind the request's `gomomo_staff` cookie, or null (no cookie, a signed-out
 * or disabled session, or a staff-role member). The cookie is `SameSite=Strict` and the provider's
 * redirect is a cross-site navigation, which does not carry it: the callback page re-opens itself
 * (a same-site navigation, which does) before it concludes there is no session.
 */
export async function findCalendarOwner(pool: Pool, input: { cookieHeader: string | undefined; clock: Clock }): Promise<CalendarOwner | null> {
  const token = readCookie(input.cookieHeader, staffCookieName);
  if (!token) return null;
  const identity = await findSession(pool, token, input.clock.now());
  if (!identity || identity.role !== 'owner') return null;
  return { tenantId: identity.tenantId, staffId: identity.staffId, boundTo: calendarBindingOf(token) };
}
