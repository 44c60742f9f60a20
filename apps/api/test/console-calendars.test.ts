// Issue 18, item 2, "from the staff console": an owner connects a resource's calendar with the
// OAuth state bound to their console session, sees its status and disconnects it. Fake Google and
// Microsoft speak their HTTP APIs; the console is driven over HTTP as its page drives it.
import { randomBytes } from 'node:crypto';
import { syncGoogleBusy, type GoogleCalendarOptions } from '@gomomo/channels';
import { parseEncryptionKeys, systemClock } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { onboardTenant } from '@gomomo/server';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../../packages/channels/test/fakes/fake-google.js';
import { startFakeGraph, type FakeGraph } from '../../../packages/channels/test/fakes/fake-graph.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const adminSecret = 'console-calendar-admin-secret-1234';
const encryptionKeys = `k1:${randomBytes(32).toString('base64')}`;
let db: TestDatabase;
let google: FakeGoogle;
let graph: FakeGraph;
let app: FastifyInstance;
let tenantId: string;
let serviceId: string;
let resourceId: string;
let owner: Session;
let ownerElsewhere: Session;
let staff: Session;

interface Session {
  cookie: string;
  csrf: string;
  staffId: string;
}

/** A console call as the page makes it: the session cookie, and the CSRF token on mutations. */
async function call(session: Session | null, path: string, input?: unknown, method: 'GET' | 'POST' = 'POST'): Promise<LightMyRequestResponse> {
  const headers = { ...(session ? { cookie: session.cookie, 'x-gomomo-csrf': session.csrf } : { 'x-gomomo-csrf': '1' }) };
  if (method === 'GET') return app.inject({ method, url: `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, headers });
  return app.inject({ method, url: `/trpc/${path}`, headers, payload: input ?? {} });
}

function data<T>(response: LightMyRequestResponse): T {
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { result: { data: T } }).result.data;
}

async function signIn(email: string, password: string): Promise<Session> {
  const response = await call(null, 'console.auth.signIn', { tenant: 'calendar-console', email, password });
  const { staffId, csrfToken } = data<{ staffId: string; csrfToken: string }>(response);
  const header = response.headers['set-cookie'];
  return { cookie: String(Array.isArray(header) ? header[0] : header).split(';')[0]!, csrf: csrfToken, staffId };
}

const callback = (provider: string, consent: { state: string; code: string }, session: Session | null, again = false) =>
  app.inject({
    method: 'GET',
    url: `/v1/calendars/${provider}/callback?state=${encodeURIComponent(consent.state)}&code=${encodeURIComponent(consent.code)}${again ? '&again=1' : ''}`,
    headers: session ? { cookie: session.cookie } : {},
  });

/** Starts a console connection as `session` and gives consent at the fake provider. */
async function startConnect(session: Session, provider: 'google' | 'microsoft' = 'google'): Promise<{ state: string; code: string }> {
  const { authorizationUrl } = data<{ authorizationUrl: string }>(await call(session, 'console.calendars.connect', { resourceId, provider }));
  return provider === 'google' ? google.consent(authorizationUrl) : graph.consent(authorizationUrl);
}

async function statusOf(provider: string): Promise<string | undefined> {
  const list = data<{ resources: { id: string; connections: { provider: string; status: string }[] }[] }>(await call(owner, 'console.calendars.list', undefined, 'GET'));
  return list.resources.find((r) => r.id === resourceId)!.connections.find((c) => c.provider === provider)?.status;
}

/** A weekday at least two days ahead (UTC), so its 10:00 slot is bookable whatever today is. */
function nextWeekday(): string {
  const day = new Date(Date.now() + 2 * 86_400_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

beforeAll(async () => {
  db = await createTestDatabase();
  [google, graph] = await Promise.all([startFakeGoogle(), startFakeGraph()]);
  app = await buildApp(
    loadConfig({
      DATABASE_URL: db.url,
      ADMIN_SECRET: adminSecret,
      LOG_LEVEL: 'silent',
      AUTONOMY_IN_API: 'false',
      PUBLIC_BASE_URL: 'https://api.example.test',
      GOMOMO_ENCRYPTION_KEYS: encryptionKeys,
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_OAUTH_BASE_URL: google.authBaseUrl,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      GOOGLE_API_ROOT_URL: google.apiRootUrl,
      MICROSOFT_CLIENT_ID: graph.clientId,
      MICROSOFT_CLIENT_SECRET: graph.clientSecret,
      MICROSOFT_LOGIN_BASE_URL: graph.url,
      MICROSOFT_GRAPH_BASE_URL: graph.graphBaseUrl,
    }),
  );
  await app.ready();
  const onboarded = await onboardTenant(db.pool, {
    data: { name: 'Calendar Console', slug: 'calendar-console', timeZone: 'UTC', minNoticeMinutes: 0, services: [{ name: 'Visit', durationMinutes: 60 }], hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })) },
    clock: systemClock,
  });
  tenantId = onboarded.tenant.id;
  const { rows } = await db.pool.query<{ resourceId: string; serviceId: string }>('SELECT r.id AS "resourceId", s.id AS "serviceId" FROM resources r JOIN services s USING (tenant_id) WHERE r.tenant_id = $1', [tenantId]);
  ({ resourceId, serviceId } = rows[0]!);
  const created = await app.inject({ method: 'POST', url: '/trpc/console.auth.createFirstOwner', headers: { authorization: `Bearer ${adminSecret}`, 'x-gomomo-csrf': '1' }, payload: { tenantId, email: 'owner@clinic.example', name: 'Olivia Owner', password: 'owner password 1' } });
  expect(created.statusCode, created.body).toBe(200);
  owner = await signIn('owner@clinic.example', 'owner password 1');
  // The same owner signed in on another browser: another session.
  ownerElsewhere = await signIn('owner@clinic.example', 'owner password 1');
  data(await call(owner, 'console.auth.invite', { email: 'staff@clinic.example', role: 'staff' }));
  const { rows: invites } = await db.pool.query<{ body: string }>(`SELECT body FROM notification_outbox WHERE tenant_id = $1 AND template = 'staff_invite'`, [tenantId]);
  const token = /#\/accept\/([\w-]+)/.exec(invites[0]!.body)![1]!;
  data(await call(null, 'console.auth.acceptInvite', { token, name: 'Sam Staff', password: 'staff password 1' }));
  staff = await signIn('staff@clinic.example', 'staff password 1');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await Promise.all([google?.close(), graph?.close()]);
  await db?.drop();
});

describe('calendars in the console', () => {
  it('connects from the console: the callback finishes in the browser holding the session that started it', async () => {
    const consent = await startConnect(owner);
    // The provider's redirect is cross-site: the SameSite=Strict cookie is not sent, and the page re-opens itself once.
    const withoutCookie = await callback('google', consent, null);
    expect(withoutCookie.statusCode).toBe(200);
    expect(withoutCookie.body).toContain('again=1');
    const finished = await callback('google', consent, owner);
    expect(finished.statusCode, finished.body).toBe(303);
    expect(finished.headers.location).toBe('/console#/calendars/connected/google');
    expect(await statusOf('google')).toBe('connected');
    expect(finished.body + JSON.stringify(data(await call(owner, 'console.calendars.list', undefined, 'GET')))).not.toContain(google.refreshTokens.at(-1)!);
    const { rows } = await db.pool.query<{ details: { staffId: string } }>(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'calendar.connect'`, [tenantId]);
    expect(rows.map((r) => r.details.staffId)).toEqual([owner.staffId]);
  });

  it('callback with another staff session’s cookie refused, and left for the session that started it', async () => {
    const consent = await startConnect(owner);
    const stolen = await callback('google', consent, ownerElsewhere);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json()).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringMatching(/^state: was issued to another session/) } });
    expect((await callback('google', consent, owner)).statusCode).toBe(303);
  });

  it('state replay refused', async () => {
    const consent = await startConnect(owner);
    expect((await callback('google', consent, owner)).statusCode).toBe(303);
    const replayed = await callback('google', consent, owner);
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json()).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringMatching(/^state: unknown, used or expired/) } });
  });

  it('a staff (non-owner) refused: no connect, list or disconnect, and their cookie finishes nothing', async () => {
    for (const [path, method] of [['console.calendars.connect', 'POST'], ['console.calendars.disconnect', 'POST'], ['console.calendars.list', 'GET']] as const) {
      const response = await call(staff, path, method === 'GET' ? undefined : { resourceId, provider: 'google' }, method);
      expect(response.statusCode, path).toBe(403);
    }
    const consent = await startConnect(owner);
    const asStaff = await callback('google', consent, staff, true);
    expect(asStaff.statusCode).toBe(200);
    expect(asStaff.body).toContain('Finish within ten minutes with the secret key');
    expect((await callback('google', consent, owner)).statusCode).toBe(303);
  });

  it('disconnect clears busy time so the slot is offered again (audited, idempotent)', async () => {
    const date = nextWeekday();
    const tenAm = `${date}T10:00:00.000Z`;
    const slots = async () => data<{ start: string }[]>(await call(owner, 'console.bookings.slots', { serviceId, date }, 'GET')).map((s) => new Date(s.start).toISOString());
    expect(await slots()).toContain(tenAm);
    google.addEvent({ id: 'accountant', start: { dateTime: tenAm }, end: { dateTime: `${date}T11:00:00.000Z` } });
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM calendar_connections WHERE tenant_id = $1 AND provider = 'google'`, [tenantId]);
    const googleOptions: GoogleCalendarOptions = { clientId: google.clientId, clientSecret: google.clientSecret, redirectUri: 'https://api.example.test/v1/calendars/google/callback', endpoints: { authBaseUrl: google.authBaseUrl, tokenUrl: google.tokenUrl, apiRootUrl: google.apiRootUrl } };
    await syncGoogleBusy({ pool: db.pool, clock: systemClock, google: googleOptions, keyring: parseEncryptionKeys(encryptionKeys) }, { tenantId, connectionId: rows[0]!.id });
    // The API reuses a tenant's hours and busy time for up to a second (catalogCacheMs): bounded staleness, by design.
    await vi.waitFor(async () => expect(await slots()).not.toContain(tenAm), { timeout: 10_000, interval: 250 });

    expect(data(await call(owner, 'console.calendars.disconnect', { resourceId, provider: 'google' }))).toEqual({ outcome: 'disconnected', revokedAtProvider: true });
    await vi.waitFor(async () => expect(await slots()).toContain(tenAm), { timeout: 10_000, interval: 250 });
    expect(await statusOf('google')).toBeUndefined();
    expect(data(await call(owner, 'console.calendars.disconnect', { resourceId, provider: 'google' }))).toEqual({ outcome: 'not_connected', revokedAtProvider: false });
    const { rows: audits } = await db.pool.query<{ details: { staffId: string; clearedBusy: number } }>(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'calendar.disconnect'`, [tenantId]);
    expect(audits.map((a) => [a.details.staffId, a.details.clearedBusy])).toEqual([[owner.staffId, 1]]);
  });

  it('shows a revoked grant as revoked, and connects Microsoft 365 the same way', async () => {
    const consent = await startConnect(owner, 'microsoft');
    expect((await callback('microsoft', consent, owner)).headers.location).toBe('/console#/calendars/connected/microsoft');
    expect(await statusOf('microsoft')).toBe('connected');
    await db.pool.query(`UPDATE calendar_connections SET status = 'revoked', last_error = 'invalid_grant' WHERE tenant_id = $1 AND provider = 'microsoft'`, [tenantId]);
    expect(await statusOf('microsoft')).toBe('revoked');
  });

  it('refuses bad input with a 400 naming the field, and another business’s resource as unknown', async () => {
    const bad = await call(owner, 'console.calendars.connect', { resourceId: 'nope', provider: 'google' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('resourceId');
    // Another business's resource is unknown here, for connecting and disconnecting alike.
    const other = await onboardTenant(db.pool, { data: { name: 'Other', slug: 'other-calendar-clinic', timeZone: 'UTC', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [] }, clock: systemClock });
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1', [other.tenant.id]);
    expect((await call(owner, 'console.calendars.connect', { resourceId: rows[0]!.id, provider: 'google' })).statusCode).toBe(404);
    expect(data(await call(owner, 'console.calendars.disconnect', { resourceId: rows[0]!.id, provider: 'google' }))).toMatchObject({ outcome: 'not_connected' });
    const unknown = await call(owner, 'console.calendars.connect', { resourceId, provider: 'outlook' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('provider');
  });
});
