// Issue 18 in the console: disconnecting a resource's calendar. The token is revoked at the
// provider (best effort) and deleted, the calendar's busy time is cleared so its slots are offered
// again, and a second disconnect is a no-op. Fake Google and Microsoft speak their HTTP APIs.
import { randomBytes } from 'node:crypto';
import { createBookingEngine, createTenant, parseEncryptionKeys, withTenant } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../test/fakes/fake-google.js';
import { startFakeGraph, type FakeGraph } from '../../test/fakes/fake-graph.js';
import { listConnectionStatuses, secretNameOf } from './connections.js';
import { disconnectCalendar } from './disconnect.js';
import { syncGoogleBusy } from './google/busy-sync.js';
import { finishGoogleConnect, startGoogleConnect } from './google/connect.js';
import type { GoogleCalendarOptions } from './google/google-api.js';
import { finishMicrosoftConnect, startMicrosoftConnect, type MicrosoftConnectOptions } from './microsoft/connect.js';

let db: TestDatabase;
let google: FakeGoogle;
let graph: FakeGraph;
let googleOptions: GoogleCalendarOptions;
let microsoftOptions: MicrosoftConnectOptions;
const clock = new ManualClock('2026-12-01T12:00:00.000Z');
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);

beforeAll(async () => {
  db = await createTestDatabase();
  [google, graph] = await Promise.all([startFakeGoogle(), startFakeGraph()]);
  googleOptions = {
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    redirectUri: 'https://api.example.test/v1/calendars/google/callback',
    endpoints: { authBaseUrl: google.authBaseUrl, tokenUrl: google.tokenUrl, apiRootUrl: google.apiRootUrl },
  };
  microsoftOptions = { clientId: graph.clientId, clientSecret: graph.clientSecret, redirectUri: 'https://api.example.test/v1/calendars/microsoft/callback', tokenUrl: graph.tokenUrl, authorizeUrl: graph.authorizeUrl, graphBaseUrl: graph.graphBaseUrl };
});
afterAll(async () => {
  await Promise.all([google?.close(), graph?.close()]);
  await db?.drop();
});

/** A clinic open weekdays 9 to 5 in New York, with one resource and a 60-minute service. */
async function clinic(): Promise<{ tenantId: string; resourceId: string; serviceId: string }> {
  const slug = `disc-${randomBytes(4).toString('hex')}`;
  const tenant = await createTenant(db.pool, {
    name: slug,
    slug,
    timeZone: 'America/New_York',
    minNoticeMinutes: 0,
    services: [{ name: 'Visit', durationMinutes: 60 }],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
  });
  const { rows } = await db.pool.query<{ resourceId: string; serviceId: string }>('SELECT r.id AS "resourceId", s.id AS "serviceId" FROM resources r JOIN services s USING (tenant_id) WHERE r.tenant_id = $1', [tenant.id]);
  return { tenantId: tenant.id, ...rows[0]! };
}

async function connectGoogle(place: { tenantId: string; resourceId: string }): Promise<string> {
  const deps = { pool: db.pool, clock, google: googleOptions, keyring };
  const { authorizationUrl } = await startGoogleConnect(deps, { ...place, boundTo: 'staff-session:a' });
  return (await finishGoogleConnect(deps, { ...google.consent(authorizationUrl), boundTo: 'staff-session:a' })).id;
}

async function offeredStarts(place: { tenantId: string; serviceId: string }, date: string): Promise<number[]> {
  const engine = createBookingEngine({ pool: db.pool, clock });
  const { slots } = await engine.getAvailability({ tenantId: place.tenantId, serviceId: place.serviceId, from: date, to: date });
  return slots.map((slot) => Date.parse(slot.start));
}

async function secretCount(tenantId: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM secrets WHERE tenant_id = $1', [tenantId]);
  return rows[0]!.n;
}

describe('disconnecting a calendar', () => {
  it('disconnect clears busy time so the slot is offered again', async () => {
    const place = await clinic();
    const connectionId = await connectGoogle(place);
    google.addEvent({ id: 'dentist-lunch', start: { dateTime: '2026-12-03T10:00:00-05:00' }, end: { dateTime: '2026-12-03T11:00:00-05:00' } });
    expect(await syncGoogleBusy({ pool: db.pool, clock, google: googleOptions, keyring }, { tenantId: place.tenantId, connectionId })).toMatchObject({ outcome: 'synced', busy: 1 });
    const tenAm = Date.parse('2026-12-03T15:00:00Z');
    expect(await offeredStarts(place, '2026-12-03')).not.toContain(tenAm);

    const token = google.refreshTokens.at(-1)!;
    const outcome = await disconnectCalendar({ pool: db.pool, keyring, google: googleOptions }, { tenantId: place.tenantId, resourceId: place.resourceId, provider: 'google' });
    expect(outcome).toEqual({ outcome: 'disconnected', connectionId, revokedAtProvider: true, clearedBusy: 1 });
    expect(await offeredStarts(place, '2026-12-03')).toContain(tenAm);
    expect(google.revokedTokens).toContain(token);
    expect(await secretCount(place.tenantId)).toBe(0);
    expect(await withTenant(db.pool, place.tenantId, (client) => listConnectionStatuses(client, place.tenantId))).toEqual([]);
  });

  it('is idempotent: a second disconnect finds nothing and changes nothing', async () => {
    const place = await clinic();
    await connectGoogle(place);
    const deps = { pool: db.pool, keyring, google: googleOptions };
    const input = { tenantId: place.tenantId, resourceId: place.resourceId, provider: 'google' as const };
    expect(await disconnectCalendar(deps, input)).toMatchObject({ outcome: 'disconnected' });
    expect(await disconnectCalendar(deps, input)).toEqual({ outcome: 'not_connected' });
  });

  it('still disconnects when the provider refuses the revocation (the grant was already revoked there)', async () => {
    const place = await clinic();
    await connectGoogle(place);
    google.revokeAll();
    const outcome = await disconnectCalendar({ pool: db.pool, keyring, google: googleOptions }, { tenantId: place.tenantId, resourceId: place.resourceId, provider: 'google' });
    expect(outcome).toMatchObject({ outcome: 'disconnected', revokedAtProvider: false });
    expect(await secretCount(place.tenantId)).toBe(0);
  });

  it('disconnects a Microsoft 365 calendar: the token is deleted here (Microsoft has no per-grant revocation)', async () => {
    const place = await clinic();
    const deps = { pool: db.pool, clock, microsoft: microsoftOptions, keyring };
    const { authorizationUrl } = await startMicrosoftConnect(deps, { ...place, boundTo: 'staff-session:a' });
    const connection = await finishMicrosoftConnect(deps, { ...graph.consent(authorizationUrl), boundTo: 'staff-session:a' });
    const secret = await db.pool.query('SELECT 1 FROM secrets WHERE tenant_id = $1 AND name = $2', [place.tenantId, secretNameOf(connection.id)]);
    expect(secret.rowCount).toBe(1);
    const outcome = await disconnectCalendar({ pool: db.pool, keyring }, { tenantId: place.tenantId, resourceId: place.resourceId, provider: 'microsoft' });
    expect(outcome).toMatchObject({ outcome: 'disconnected', connectionId: connection.id, revokedAtProvider: false });
    expect(await secretCount(place.tenantId)).toBe(0);
  });
});
