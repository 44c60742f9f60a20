import { randomBytes } from 'node:crypto';
import { createTenant, parseEncryptionKeys, type Pool } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../test/fakes/fake-google.js';
import { startFakeGraph, type FakeGraph } from '../../test/fakes/fake-graph.js';
import { isChannelError } from '../errors.js';
import { finishGoogleConnect, startGoogleConnect } from './google/connect.js';
import { googleEventIdOf } from './google/event-id.js';
import type { CalendarEventInput } from './google/event-writer.js';
import type { GoogleCalendarOptions } from './google/google-api.js';
import { finishMicrosoftConnect, startMicrosoftConnect, type MicrosoftConnectOptions } from './microsoft/connect.js';
import { createCalendarProvider } from './provider.js';

let db: TestDatabase;
let google: FakeGoogle;
let options: GoogleCalendarOptions;
let graph: FakeGraph;
let microsoft: MicrosoftConnectOptions;
const clock = new ManualClock('2026-12-01T12:00:00.000Z');
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);

beforeAll(async () => {
  db = await createTestDatabase();
  google = await startFakeGoogle();
  graph = await startFakeGraph();
  microsoft = { clientId: graph.clientId, clientSecret: graph.clientSecret, redirectUri: 'https://api.example.test/v1/calendars/microsoft/callback', tokenUrl: graph.tokenUrl, authorizeUrl: graph.authorizeUrl, graphBaseUrl: graph.graphBaseUrl };
  options = {
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    redirectUri: 'https://api.example.test/v1/calendars/google/callback',
    endpoints: { authBaseUrl: google.authBaseUrl, tokenUrl: google.tokenUrl, apiRootUrl: google.apiRootUrl },
  };
});
afterAll(async () => {
  await google?.close();
  await graph?.close();
  await db?.drop();
});

/** A tenant with two chairs, each connected to its own Google calendar. */
async function twoConnectedChairs(pool: Pool): Promise<{ tenantId: string; chairs: { resourceId: string; calendarId: string }[] }> {
  const slug = `move-${randomBytes(4).toString('hex')}`;
  const tenant = await createTenant(pool, { name: slug, slug, timeZone: 'America/New_York', resources: [{ name: 'Chair 1' }, { name: 'Chair 2' }], services: [{ name: 'Visit', durationMinutes: 30 }], hours: [] });
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1 ORDER BY name', [tenant.id]);
  const deps = { pool, clock, google: options, keyring };
  const chairs = [];
  for (const [index, row] of rows.entries()) {
    const calendarId = `${slug}-chair-${index + 1}@group.calendar.google.com`;
    const { authorizationUrl } = await startGoogleConnect(deps, { tenantId: tenant.id, resourceId: row.id, boundTo: 'key-1' });
    await finishGoogleConnect(deps, { ...google.consent(authorizationUrl), boundTo: 'key-1', calendarId });
    chairs.push({ resourceId: row.id, calendarId });
  }
  return { tenantId: tenant.id, chairs };
}

const appointmentOn = (tenantId: string, resourceId: string, appointmentId: string): CalendarEventInput => ({
  tenantId,
  appointmentId,
  resourceId,
  reference: 'GM-MOVE1',
  start: '2026-12-03T10:00:00-05:00',
  end: '2026-12-03T10:30:00-05:00',
  status: 'booked',
  serviceName: 'Visit',
  clientFirstName: 'Ada',
});

const statusIn = (calendarId: string, eventId: string) => google.eventsOf(calendarId).get(eventId)?.status ?? 'absent';

describe('an appointment moved to another resource', () => {
  it('moves its Google event from the old resource calendar to the new one', async () => {
    const { tenantId, chairs } = await twoConnectedChairs(db.pool);
    const [one, two] = chairs as [(typeof chairs)[0], (typeof chairs)[0]];
    const appointmentId = crypto.randomUUID();
    const eventId = googleEventIdOf(appointmentId);
    const provider = createCalendarProvider({ pool: db.pool, clock, keyring, google: options });

    await provider.sync(appointmentOn(tenantId, one.resourceId, appointmentId));
    expect(statusIn(one.calendarId, eventId)).toBe('confirmed');

    await provider.sync(appointmentOn(tenantId, two.resourceId, appointmentId));
    expect(statusIn(one.calendarId, eventId)).toBe('cancelled');
    expect(statusIn(two.calendarId, eventId)).toBe('confirmed');

    // A retry of the same sync (the answer was lost) changes nothing and deletes nothing twice.
    const requests = google.requests.length;
    await provider.sync(appointmentOn(tenantId, two.resourceId, appointmentId));
    expect(google.requests.slice(requests).filter((r) => r.startsWith('DELETE'))).toEqual([]);
    expect(statusIn(two.calendarId, eventId)).toBe('confirmed');

    // Moved back, then cancelled: one live event at a time, none at the end.
    await provider.sync(appointmentOn(tenantId, one.resourceId, appointmentId));
    expect([statusIn(one.calendarId, eventId), statusIn(two.calendarId, eventId)]).toEqual(['confirmed', 'cancelled']);
    await provider.sync({ ...appointmentOn(tenantId, one.resourceId, appointmentId), status: 'cancelled' });
    expect([statusIn(one.calendarId, eventId), statusIn(two.calendarId, eventId)]).toEqual(['cancelled', 'cancelled']);
  });

  it('writes the new resource event even when the old calendar fails, and the retry finishes the move', async () => {
    const { tenantId, chairs } = await twoConnectedChairs(db.pool);
    const [one, two] = chairs as [(typeof chairs)[0], (typeof chairs)[0]];
    const appointmentId = crypto.randomUUID();
    const eventId = googleEventIdOf(appointmentId);
    const provider = createCalendarProvider({ pool: db.pool, clock, keyring, google: options });
    await provider.sync(appointmentOn(tenantId, one.resourceId, appointmentId));

    google.failNext(new RegExp(`^DELETE /calendar/v3/calendars/${encodeURIComponent(one.calendarId).replace(/[.]/g, '\\.')}/events/${eventId}$`), 503);
    const error = await provider.sync(appointmentOn(tenantId, two.resourceId, appointmentId)).catch((e: unknown) => e);
    expect(isChannelError(error, 'TRANSIENT')).toBe(true);
    expect([statusIn(one.calendarId, eventId), statusIn(two.calendarId, eventId)]).toEqual(['confirmed', 'confirmed']);

    await provider.sync(appointmentOn(tenantId, two.resourceId, appointmentId));
    expect([statusIn(one.calendarId, eventId), statusIn(two.calendarId, eventId)]).toEqual(['cancelled', 'confirmed']);
  });

  it('moves its Microsoft 365 event the same way: deleted through the old connection, created through the new one', async () => {
    const slug = `move-ms-${randomBytes(4).toString('hex')}`;
    const tenant = await createTenant(db.pool, { name: slug, slug, timeZone: 'UTC', resources: [{ name: 'Room 1' }, { name: 'Room 2' }], services: [{ name: 'Visit', durationMinutes: 30 }], hours: [] });
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1 ORDER BY name', [tenant.id]);
    const deps = { pool: db.pool, clock, microsoft, keyring };
    for (const row of rows) {
      const { authorizationUrl } = await startMicrosoftConnect(deps, { tenantId: tenant.id, resourceId: row.id, boundTo: 'key-1' });
      await finishMicrosoftConnect(deps, { ...graph.consent(authorizationUrl), boundTo: 'key-1' });
    }
    const [one, two] = rows.map((row) => row.id) as [string, string];
    const appointmentId = crypto.randomUUID();
    const provider = createCalendarProvider({ pool: db.pool, clock, keyring, microsoft });
    graph.events.clear();

    await provider.sync(appointmentOn(tenant.id, one, appointmentId));
    const [first] = [...graph.events.keys()];
    await provider.sync(appointmentOn(tenant.id, two, appointmentId));
    const deleted = graph.requests.filter((r) => r.startsWith('DELETE'));
    expect(deleted).toEqual([`DELETE /v1.0/me/events/${first}`]);
    expect([...graph.events.keys()]).toHaveLength(1);
    expect([...graph.events.keys()]).not.toContain(first);
    const links = await db.pool.query<{ resourceId: string }>(
      'SELECT c.resource_id AS "resourceId" FROM calendar_event_links l JOIN calendar_connections c ON c.id = l.connection_id WHERE l.appointment_id = $1',
      [appointmentId],
    );
    expect(links.rows).toEqual([{ resourceId: two }]);
  });
});
