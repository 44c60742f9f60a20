// Console sessions for the server tests: the first owner through the admin secret, sign-in through
// the real procedure, and a cookie jar of one cookie.
import type { LightMyRequestResponse } from 'fastify';
import { adminSecret, trpcData, type Harness, type TestTenant } from '../harness.js';

export interface ConsoleSession {
  cookie: string;
  csrfToken: string;
  staffId: string;
}

export const ownerPassword = 'correct horse battery';

/** The session cookie a response set (`name=value`), or null. */
export function sessionCookieOf(response: LightMyRequestResponse): string | null {
  const header = response.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  return first ? first.split(';')[0]! : null;
}

export async function createOwner(h: Harness, tenant: TestTenant, email = 'owner@clinic.example'): Promise<void> {
  trpcData(await h.call('console.auth.createFirstOwner', { tenantId: tenant.id, email, name: 'Olivia Owner', password: ownerPassword }, { key: adminSecret }));
}

export async function signIn(h: Harness, input: { tenant: string; email: string; password: string }): Promise<ConsoleSession> {
  const response = await h.call('console.auth.signIn', input, { headers: { 'x-gomomo-csrf': '1' } });
  const data = trpcData<{ staffId: string; csrfToken: string }>(response);
  return { cookie: sessionCookieOf(response)!, csrfToken: data.csrfToken, staffId: data.staffId };
}

/** Calls a console procedure as the session (with its CSRF token unless `csrf` overrides it). */
export function asStaff(h: Harness, session: ConsoleSession, path: string, input?: unknown, options: { csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
  const csrf = options.csrf === undefined ? session.csrfToken : options.csrf;
  return h.call(path, input, { headers: { cookie: session.cookie, ...(csrf ? { 'x-gomomo-csrf': csrf } : {}) } });
}
