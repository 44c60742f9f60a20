import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { listEvents } from '../events/events.js';
import { countRows, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';

let db: TestDatabase;
let engine: BookingEngine;
let clock: ManualClock;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  engine = createBookingEngine({ pool: db.pool, clock });
  t = await createBookingTenant(db.pool, 'wait-clinic');
});
afterAll(async () => {
  await db.drop();
});

const client = { name: 'Grace Hopper', phone: '+15551239999' };

describe('joinWaitlist', () => {
  it('reads date bounds as whole days in the tenant zone and records waitlist.joined', async () => {
    const entry = await engine.joinWaitlist({ tenantId: t.tenant.id, serviceId: t.consult.id, windowStart: '2026-12-07', windowEnd: '2026-12-08', client, sessionId: 'chat-w' });
    expect(entry).toMatchObject({
      windowStart: '2026-12-07T00:00:00.000-05:00',
      windowEnd: '2026-12-09T00:00:00.000-05:00',
      status: 'waiting',
      resourceId: null,
      client: { name: 'Grace Hopper', email: null, phone: '+15551239999' },
      sessionId: 'chat-w',
    });
    const events = await listEvents(db.pool, { tenantId: t.tenant.id, sessionId: 'chat-w' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'waitlist.joined', subjectId: entry.id, payload: { entryId: entry.id, serviceId: t.consult.id, windowStart: entry.windowStart } });
    // No contact detail: the name, and the phone number (a random UUID in the payload may hold "555").
    expect(JSON.stringify(events[0]!.payload)).not.toMatch(/Grace|Hopper|5551239999/);
  });

  it('takes instants as given and keeps a chosen resource', async () => {
    clock.advance(1000);
    const entry = await engine.joinWaitlist({
      tenantId: t.tenant.id,
      serviceId: t.chenOnly.id,
      resourceId: t.chen.id,
      windowStart: '2026-12-07T14:00:00Z',
      windowEnd: '2026-12-07T18:00:00+01:00',
      client: { name: 'Alan', email: 'alan@example.com' },
    });
    expect(entry).toMatchObject({ resourceId: t.chen.id, windowStart: '2026-12-07T09:00:00.000-05:00', windowEnd: '2026-12-07T12:00:00.000-05:00' });
  });

  it.each([
    ['windowEnd', { windowStart: '2026-12-08', windowEnd: '2026-12-07' }, /after windowStart/],
    ['windowEnd', { windowStart: '2026-11-20', windowEnd: '2026-11-25' }, /already over/],
    ['windowStart', { windowStart: '2026-13-40' }, /date like/],
    ['windowStart', { windowStart: '2026-12-07T10:00:00' }, /offset/],
    ['client.email', { client: { name: 'Nobody' } }, /email or a phone/],
    ['serviceId', { serviceId: 'svc' }, /UUID/],
    ['client.name', { client: { name: 'n'.repeat(201), phone: '+15551239999' } }, /200/],
  ])('rejects a bad %s with VALIDATION, writing nothing', async (field, bad, message) => {
    const before = await countRows(db.pool, 'waitlist_entries');
    const base = { tenantId: t.tenant.id, serviceId: t.consult.id, windowStart: '2026-12-07', windowEnd: '2026-12-08', client };
    const error = await failureOf(engine.joinWaitlist({ ...base, ...bad } as never));
    expect(error).toMatchObject({ code: 'VALIDATION', field });
    expect(error.message).toMatch(message);
    expect(await countRows(db.pool, 'waitlist_entries')).toBe(before);
  });

  it('refuses an unknown service or a resource that cannot do it with NOT_FOUND', async () => {
    const base = { tenantId: t.tenant.id, windowStart: '2026-12-07', windowEnd: '2026-12-08', client };
    expect(await failureOf(engine.joinWaitlist({ ...base, serviceId: '00000000-0000-4000-8000-000000000002' }))).toMatchObject({ code: 'NOT_FOUND', field: 'serviceId' });
    expect(await failureOf(engine.joinWaitlist({ ...base, serviceId: t.chenOnly.id, resourceId: t.rivera.id }))).toMatchObject({ code: 'NOT_FOUND', field: 'resourceId' });
  });
});

describe('listWaitlist', () => {
  it('lists entries in joining order, filtered by service and status', async () => {
    const all = await engine.listWaitlist({ tenantId: t.tenant.id });
    expect(all.map((e) => e.serviceId)).toEqual([t.consult.id, t.chenOnly.id]);
    expect(await engine.listWaitlist({ tenantId: t.tenant.id, serviceId: t.chenOnly.id })).toHaveLength(1);
    expect(await engine.listWaitlist({ tenantId: t.tenant.id, status: 'offered' })).toHaveLength(0);
    expect(await failureOf(engine.listWaitlist({ tenantId: t.tenant.id, status: 'gone' as never }))).toMatchObject({ code: 'VALIDATION', field: 'status' });
  });
});
