import { randomBytes } from 'node:crypto';
import { createTenant, parseEncryptionKeys, readExternalBusy, withTenant, type Pool } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../../test/fakes/fake-google.js';
import { isChannelError } from '../../errors.js';
import { readConnection } from '../connections.js';
import { syncGoogleBusy } from './busy-sync.js';
import { finishGoogleConnect, startGoogleConnect } from './connect.js';
import { googleEventIdOf } from './event-id.js';
import { writeGoogleEvent, type CalendarEventInput } from './event-writer.js';
import type { GoogleCalendarOptions } from './google-api.js';

let db: TestDatabase;
let google: FakeGoogle;
let options: GoogleCalendarOptions;
const clock = new ManualClock('2026-12-01T12:00:00.000Z');
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);

beforeAll(async () => {
  db = await createTestDatabase();
  google = await startFakeGoogle();
  options = {
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    redirectUri: 'https://api.example.test/v1/calendars/google/callback',
    endpoints: { authBaseUrl: google.authBaseUrl, tokenUrl: google.tokenUrl, apiRootUrl: google.apiRootUrl },
  };
});
afterAll(async () => {
  await google?.close();
  await db?.drop();
});
beforeEach(() => {
  google.events.clear();
});

async function tenantWithResource(pool: Pool): Promise<{ tenantId: string; resourceId: string }> {
  const slug = `gcal-${randomBytes(4).toString('hex')}`;
  const tenant = await createTenant(pool, { name: slug, slug, timeZone: 'America/New_York', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [] });
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1', [tenant.id]);
  return { tenantId: tenant.id, resourceId: rows[0]!.id };
}

async function connect(): Promise<{ tenantId: string; resourceId: string; connectionId: string }> {
  const { tenantId, resourceId } = await tenantWithResource(db.pool);
  const deps = { pool: db.pool, clock, google: options, keyring };
  const { authorizationUrl } = await startGoogleConnect(deps, { tenantId, resourceId, boundTo: 'key-1|cookie-a' });
  const { code, state } = google.consent(authorizationUrl);
  const connection = await finishGoogleConnect(deps, { state, code, boundTo: 'key-1|cookie-a' });
  return { tenantId, resourceId, connectionId: connection.id };
}

async function busyOf(tenantId: string, resourceId: string): Promise<{ start: string; end: string }[]> {
  const busy = await withTenant(db.pool, tenantId, (client) => readExternalBusy(client, { tenantId, resourceIds: [resourceId], range: { start: 0, end: Date.parse('2030-01-01') } }));
  return (busy.get(resourceId) ?? []).map((b) => ({ start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString() }));
}

const sync = (input: { tenantId: string; connectionId: string }) => syncGoogleBusy({ pool: db.pool, clock, google: options, keyring }, input);

describe('connecting Google Calendar', () => {
  it('uses the authorization code with PKCE (S256) and offline access, and keeps the refresh token only encrypted', async () => {
    const { tenantId, resourceId } = await tenantWithResource(db.pool);
    const deps = { pool: db.pool, clock, google: options, keyring };
    const { authorizationUrl } = await startGoogleConnect(deps, { tenantId, resourceId, boundTo: 'key-1|cookie-a' });
    const params = new URL(authorizationUrl).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({ access_type: 'offline', code_challenge_method: 'S256', response_type: 'code', client_id: google.clientId });
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { code, state } = google.consent(authorizationUrl);
    const connection = await finishGoogleConnect(deps, { state, code, boundTo: 'key-1|cookie-a' });
    expect(connection).toMatchObject({ tenantId, resourceId, provider: 'google', status: 'active' });
    const token = google.refreshTokens.at(-1)!;
    const { rows } = await db.pool.query<{ dump: string }>(`SELECT (SELECT string_agg(t::text, ' ') FROM secrets t) || (SELECT string_agg(c::text, ' ') FROM calendar_connections c) || coalesce((SELECT string_agg(a::text, ' ') FROM audit_log a), '') AS dump`);
    expect(rows[0]!.dump).not.toContain(token);
    expect(rows[0]!.dump).not.toContain(token.slice(8));
  });

  it.each([
    ['another session', (s: string) => ({ state: s, boundTo: 'key-1|cookie-b' }), /another session/],
    ['an unknown state', () => ({ state: randomBytes(32).toString('base64url'), boundTo: 'key-1|cookie-a' }), /unknown, used or expired/],
  ])('refuses a callback from %s', async (_name, tamper, message) => {
    const { tenantId, resourceId } = await tenantWithResource(db.pool);
    const deps = { pool: db.pool, clock, google: options, keyring };
    const { authorizationUrl } = await startGoogleConnect(deps, { tenantId, resourceId, boundTo: 'key-1|cookie-a' });
    const { code, state } = google.consent(authorizationUrl);
    const error = await finishGoogleConnect(deps, { code, ...tamper(state) }).catch((e: unknown) => e);
    expect(isChannelError(error, 'VALIDATION')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a replayed or expired state', async () => {
    const { tenantId, resourceId } = await tenantWithResource(db.pool);
    const deps = { pool: db.pool, clock, google: options, keyring };
    const first = google.consent((await startGoogleConnect(deps, { tenantId, resourceId, boundTo: 'b' })).authorizationUrl);
    await finishGoogleConnect(deps, { ...first, boundTo: 'b' });
    await expect(finishGoogleConnect(deps, { ...first, boundTo: 'b' })).rejects.toThrow(/unknown, used or expired/);
    const late = google.consent((await startGoogleConnect(deps, { tenantId, resourceId, boundTo: 'b' })).authorizationUrl);
    const later = new ManualClock(new Date(clock.now().getTime() + 11 * 60_000).toISOString());
    await expect(finishGoogleConnect({ ...deps, clock: later }, { ...late, boundTo: 'b' })).rejects.toThrow(/unknown, used or expired/);
  });
});

describe('busy time from Google', () => {
  it('reads everything first, then only changes with the sync token; skips free, declined and our own events', async () => {
    const c = await connect();
    google.addEvent({ id: 'lunch1', start: { dateTime: '2026-12-03T12:00:00-05:00' }, end: { dateTime: '2026-12-03T13:00:00-05:00' } });
    google.addEvent({ id: 'free1', transparency: 'transparent', start: { dateTime: '2026-12-03T09:00:00-05:00' }, end: { dateTime: '2026-12-03T10:00:00-05:00' } });
    google.addEvent({ id: googleEventIdOf('3f1e8a52-52b4-4c1c-9f43-6e0d9c1f2a10'), start: { dateTime: '2026-12-03T15:00:00-05:00' }, end: { dateTime: '2026-12-03T15:30:00-05:00' } });
    google.addEvent({ id: 'vacation', start: { date: '2026-12-10' }, end: { date: '2026-12-11' } });
    expect(await sync(c)).toMatchObject({ outcome: 'synced', mode: 'full', busy: 2 });
    expect(await busyOf(c.tenantId, c.resourceId)).toEqual([
      { start: '2026-12-03T17:00:00.000Z', end: '2026-12-03T18:00:00.000Z' },
      { start: '2026-12-10T05:00:00.000Z', end: '2026-12-11T05:00:00.000Z' },
    ]);

    google.addEvent({ id: 'dentist', start: { dateTime: '2026-12-04T10:00:00-05:00' }, end: { dateTime: '2026-12-04T11:00:00-05:00' } });
    google.events.set('lunch1', { ...google.events.get('lunch1')!, status: 'cancelled', seq: 10_000 });
    const listed = google.requests.length;
    expect(await sync(c)).toMatchObject({ outcome: 'synced', mode: 'incremental' });
    expect(google.requests.slice(listed).some((r) => r.startsWith('GET /calendar/v3/calendars/primary/events'))).toBe(true);
    expect((await busyOf(c.tenantId, c.resourceId)).map((b) => b.start)).toEqual(['2026-12-04T15:00:00.000Z', '2026-12-10T05:00:00.000Z']);
  });

  it('410 Gone on an expired sync token: a full resync', async () => {
    const c = await connect();
    google.addEvent({ id: 'a', start: { dateTime: '2026-12-05T10:00:00Z' }, end: { dateTime: '2026-12-05T11:00:00Z' } });
    await sync(c);
    google.events.delete('a');
    google.addEvent({ id: 'b', start: { dateTime: '2026-12-06T10:00:00Z' }, end: { dateTime: '2026-12-06T11:00:00Z' } });
    google.expireSyncTokens();
    expect(await sync(c)).toMatchObject({ outcome: 'synced', mode: 'full', busy: 1 });
    expect((await busyOf(c.tenantId, c.resourceId)).map((b) => b.start)).toEqual(['2026-12-06T10:00:00.000Z']);
  });

  it.each([
    [429, 'RATE_LIMITED'],
    [500, 'TRANSIENT'],
    [503, 'TRANSIENT'],
    [403, 'PERMANENT'],
  ])('a %i from the events list keeps the busy time it had and fails with %s', async (status, code) => {
    const c = await connect();
    google.addEvent({ id: 'kept', start: { dateTime: '2026-12-05T10:00:00Z' }, end: { dateTime: '2026-12-05T11:00:00Z' } });
    await sync(c);
    google.failNext(/^GET \/calendar\/v3\/calendars\/primary\/events$/, status, status === 403 ? { error: { code: 403, message: 'Forbidden', errors: [{ reason: 'forbidden' }] } } : undefined);
    const error = await sync(c).catch((e: unknown) => e);
    expect(isChannelError(error, code as 'TRANSIENT')).toBe(true);
    expect(await busyOf(c.tenantId, c.resourceId)).toHaveLength(1);
  });

  it('a revoked grant (invalid_grant): the connection is revoked and the resource falls back to database-only', async () => {
    const c = await connect();
    google.addEvent({ id: 'x', start: { dateTime: '2026-12-05T10:00:00Z' }, end: { dateTime: '2026-12-05T11:00:00Z' } });
    await sync(c);
    google.revokeAll();
    expect(await sync(c)).toMatchObject({ outcome: 'revoked', resourceId: c.resourceId, reason: expect.stringContaining('invalid_grant') });
    expect(await busyOf(c.tenantId, c.resourceId)).toEqual([]);
    expect(await withTenant(db.pool, c.tenantId, (client) => readConnection(client, c))).toMatchObject({ status: 'revoked' });
    expect(await sync(c)).toMatchObject({ outcome: 'skipped' });
  });
});

describe('bookings written to Google', () => {
  const appointment = (c: { tenantId: string; resourceId: string }, patch: Partial<CalendarEventInput> = {}): CalendarEventInput => ({
    tenantId: c.tenantId,
    appointmentId: '0b6f1f3e-2a47-4f4e-9d53-1c0a6a4c2b11',
    resourceId: c.resourceId,
    reference: 'GM-7K2QX',
    start: '2026-12-03T10:00:00-05:00',
    end: '2026-12-03T10:30:00-05:00',
    status: 'booked',
    serviceName: 'Cleaning',
    clientFirstName: 'Ada',
    ...patch,
  });
  const write = (input: CalendarEventInput) => writeGoogleEvent({ pool: db.pool, google: options, keyring }, input);

  it('creates, moves and cancels one event per appointment, idempotent by event id, with the first name only', async () => {
    const c = await connect();
    const eventId = googleEventIdOf(appointment(c).appointmentId);
    expect(await write(appointment(c))).toBe('written');
    expect(await write(appointment(c))).toBe('written');
    expect([...google.events.keys()]).toEqual([eventId]);
    const event = google.events.get(eventId)!;
    expect(event.summary).toBe('Cleaning: Ada (GM-7K2QX)');
    expect(JSON.stringify(event)).not.toMatch(/@|\+1/);

    await write(appointment(c, { start: '2026-12-04T11:00:00-05:00', end: '2026-12-04T11:30:00-05:00' }));
    expect(google.events.get(eventId)!.start.dateTime).toBe('2026-12-04T11:00:00-05:00');
    expect(await write(appointment(c, { status: 'cancelled' }))).toBe('deleted');
    expect(google.events.get(eventId)!.status).toBe('cancelled');
    expect(await write(appointment(c, { status: 'cancelled' }))).toBe('deleted');
    // Our own event never counts as external busy time.
    await sync(c);
    expect(await busyOf(c.tenantId, c.resourceId)).toEqual([]);
  });

  it('adds contact details only when the tenant opted in', async () => {
    const c = await connect();
    await write(appointment(c, { contact: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+15551230001' } }));
    expect(google.events.get(googleEventIdOf(appointment(c).appointmentId))!.description).toContain('ada@example.com');
  });

  it('does nothing for a resource without a connected calendar (database-only)', async () => {
    const c = await tenantWithResource(db.pool);
    expect(await write(appointment(c))).toBe('no-connection');
  });

  it.each([
    [429, 'RATE_LIMITED'],
    [500, 'TRANSIENT'],
    [401, 'PERMANENT'],
  ])('a %i on insert fails with %s for the retry machinery', async (status, code) => {
    const c = await connect();
    google.failNext(/^POST \/calendar\/v3\/calendars\/primary\/events$/, status);
    if (status === 401) google.failNext(/^POST \/calendar\/v3\/calendars\/primary\/events$/, status);
    const error = await write(appointment(c)).catch((e: unknown) => e);
    expect(isChannelError(error, code as 'TRANSIENT')).toBe(true);
  });

  it('a revoked grant while writing revokes the connection and fails for good', async () => {
    const c = await connect();
    google.revokeAll();
    const error = await write(appointment(c)).catch((e: unknown) => e);
    expect(isChannelError(error, 'PERMANENT')).toBe(true);
    expect((error as Error).message).toContain('invalid_grant');
    expect(await withTenant(db.pool, c.tenantId, (client) => readConnection(client, c))).toMatchObject({ status: 'revoked' });
    expect(await write(appointment(c))).toBe('no-connection');
  });
});
