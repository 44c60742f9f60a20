import { randomBytes } from 'node:crypto';
import { createTenant, parseEncryptionKeys, type Pool } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../test/fakes/fake-google.js';
import { isChannelError } from '../errors.js';
import { finishGoogleConnect, startGoogleConnect } from './google/connect.js';
import { googleEventIdOf } from './google/event-id.js';
import type { CalendarEventInput } from './google/event-writer.js';
import type { GoogleCalendarOptions } from './google/google-api.js';
import { createCalendarProvider } from './provider.js';

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
});
