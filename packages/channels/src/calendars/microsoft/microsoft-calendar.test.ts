import { randomBytes } from 'node:crypto';
import { createTenant, parseEncryptionKeys, readExternalBusy, withTenant } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraph, type FakeGraph } from '../../../test/fakes/fake-graph.js';
import { isChannelError } from '../../errors.js';
import { readConnection } from '../connections.js';
import type { CalendarEventInput } from '../google/event-writer.js';
import { syncMicrosoftBusy } from './busy-sync.js';
import { finishMicrosoftConnect, startMicrosoftConnect, type MicrosoftConnectOptions } from './connect.js';
import { writeMicrosoftEvent } from './event-writer.js';

let db: TestDatabase;
let graph: FakeGraph;
let microsoft: MicrosoftConnectOptions;
const clock = new ManualClock('2026-12-01T12:00:00.000Z');
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await startFakeGraph();
  microsoft = { clientId: graph.clientId, clientSecret: graph.clientSecret, redirectUri: 'https://api.example.test/v1/calendars/microsoft/callback', tokenUrl: graph.tokenUrl, authorizeUrl: graph.authorizeUrl, graphBaseUrl: graph.graphBaseUrl };
});
afterAll(async () => {
  await graph?.close();
  await db?.drop();
});

async function connect(): Promise<{ tenantId: string; resourceId: string; connectionId: string }> {
  const slug = `msft-${randomBytes(4).toString('hex')}`;
  const tenant = await createTenant(db.pool, { name: slug, slug, timeZone: 'UTC', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [] });
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1', [tenant.id]);
  const deps = { pool: db.pool, clock, microsoft, keyring };
  const { authorizationUrl } = await startMicrosoftConnect(deps, { tenantId: tenant.id, resourceId: rows[0]!.id, boundTo: 'key-1' });
  expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
  const connection = await finishMicrosoftConnect(deps, { ...graph.consent(authorizationUrl), boundTo: 'key-1' });
  expect(connection.calendarId).toBe(graph.mailbox);
  return { tenantId: tenant.id, resourceId: rows[0]!.id, connectionId: connection.id };
}

const busyOf = async (c: { tenantId: string; resourceId: string }) =>
  ((await withTenant(db.pool, c.tenantId, (client) => readExternalBusy(client, { tenantId: c.tenantId, resourceIds: [c.resourceId], range: { start: 0, end: Date.parse('2030-01-01') } }))).get(c.resourceId) ?? []).map((b) => new Date(b.start).toISOString());

describe('Microsoft 365 behind the same interface', () => {
  it('reads free/busy with getSchedule (free and our own events left out) and rotates the refresh token', async () => {
    const c = await connect();
    graph.scheduleItems.length = 0;
    graph.scheduleItems.push(
      { status: 'busy', subject: 'Accountant', start: { dateTime: '2026-12-03T12:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-03T13:00:00.0000000', timeZone: 'UTC' } },
      { status: 'free', subject: 'Focus', start: { dateTime: '2026-12-03T14:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-03T15:00:00.0000000', timeZone: 'UTC' } },
      { status: 'oof', start: { dateTime: '2026-12-05T00:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-06T00:00:00.0000000', timeZone: 'UTC' } },
    );
    const before = graph.refreshTokens.length;
    expect(await syncMicrosoftBusy({ pool: db.pool, clock, microsoft, keyring }, c)).toMatchObject({ outcome: 'synced', busy: 2 });
    expect(graph.refreshTokens.length).toBe(before + 1);
    // The rotated token was stored: a second refresh works (the first one is dead now).
    expect(await syncMicrosoftBusy({ pool: db.pool, clock, microsoft, keyring }, c)).toMatchObject({ outcome: 'synced' });
    expect(await busyOf(c)).toEqual(['2026-12-03T12:00:00.000Z', '2026-12-05T00:00:00.000Z']);
  });

  it('creates, moves and cancels one event per appointment (a retried create finds its event by transactionId)', async () => {
    const c = await connect();
    graph.scheduleItems.length = 0;
    const input: CalendarEventInput = { tenantId: c.tenantId, appointmentId: '0b6f1f3e-2a47-4f4e-9d53-1c0a6a4c2b12', resourceId: c.resourceId, reference: 'GM-8K2QX', start: '2026-12-03T15:00:00.000Z', end: '2026-12-03T15:30:00.000Z', status: 'booked', serviceName: 'Cleaning', clientFirstName: 'Ada' };
    const write = (patch: Partial<CalendarEventInput> = {}) => writeMicrosoftEvent({ pool: db.pool, microsoft, keyring }, { ...input, ...patch });
    expect(await write()).toBe('written');
    // The link was lost (a crash after Graph answered): the create repeats with the same transactionId.
    await db.pool.query('DELETE FROM calendar_event_links');
    expect(await write()).toBe('written');
    expect(graph.events.size).toBe(1);
    const [event] = graph.events.values();
    expect(event!.subject).toBe('Cleaning: Ada (GM-8K2QX)');
    await write({ start: '2026-12-04T10:00:00.000Z', end: '2026-12-04T10:30:00.000Z' });
    expect([...graph.events.values()][0]!.start.dateTime).toBe('2026-12-04T10:00:00');
    // Our own event is not external busy time.
    await syncMicrosoftBusy({ pool: db.pool, clock, microsoft, keyring }, c);
    expect(await busyOf(c)).toEqual([]);
    expect(await write({ status: 'cancelled' })).toBe('deleted');
    expect(graph.events.size).toBe(0);
  });

  it.each([
    [429, 'RATE_LIMITED'],
    [503, 'TRANSIENT'],
    [403, 'PERMANENT'],
  ])('a %i from getSchedule fails with %s and keeps the busy time it had', async (status, code) => {
    const c = await connect();
    graph.scheduleItems.length = 0;
    graph.scheduleItems.push({ status: 'busy', subject: 'Kept', start: { dateTime: '2026-12-07T12:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T13:00:00', timeZone: 'UTC' } });
    await syncMicrosoftBusy({ pool: db.pool, clock, microsoft, keyring }, c);
    graph.failNext(/getSchedule/, status);
    const error = await syncMicrosoftBusy({ pool: db.pool, clock, microsoft, keyring }, c).catch((e: unknown) => e);
    expect(isChannelError(error, code as 'TRANSIENT')).toBe(true);
    expect(await busyOf(c)).toHaveLength(1);
  });

  it('a revoked grant: the connection is revoked, busy time cleared, writes report no connection', async () => {
    const c = await connect();
    await syncMicrosoftBusy({ pool: db.pool, clock, microsoft, keyring }, c);
    graph.revokeAll();
    expect(await syncMicrosoftBusy({ pool: db.pool, clock, microsoft, keyring }, c)).toMatchObject({ outcome: 'revoked', reason: expect.stringContaining('invalid_grant') });
    expect(await busyOf(c)).toEqual([]);
    expect(await withTenant(db.pool, c.tenantId, (client) => readConnection(client, c))).toMatchObject({ status: 'revoked' });
  });
});
