import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { listEvents } from '../events/events.js';
import { at, countRows, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';

let db: TestDatabase;
let engine: BookingEngine;
let clock: ManualClock;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  engine = createBookingEngine({ pool: db.pool, clock });
  t = await createBookingTenant(db.pool, 'hold-clinic');
});
afterAll(async () => {
  await db.drop();
});

const hold = (start: string, extra: Record<string, unknown> = {}) =>
  engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at(start), sessionId: 's-1', ...extra });

describe('holdSlot', () => {
  it('claims the slot for the tenant TTL and reports times with the tenant offset', async () => {
    const result = await hold('2026-12-02 10:00');
    expect(result).toMatchObject({
      tenantId: t.tenant.id,
      serviceId: t.consult.id,
      resourceId: t.chen.id,
      sessionId: 's-1',
      start: '2026-12-02T10:00:00.000-05:00',
      end: '2026-12-02T10:30:00.000-05:00',
      expiresAt: '2026-12-01T07:05:00.000-05:00',
      status: 'active',
    });
    expect(await countRows(db.pool, 'claims', `is_active AND id = (SELECT claim_id FROM holds WHERE id = '${result.id}')`)).toBe(1);
  });

  it('records hold.created with the session and no contact details', async () => {
    const result = await hold('2026-12-02 11:00', { sessionId: 'chat-42' });
    const events = await listEvents(db.pool, { tenantId: t.tenant.id, sessionId: 'chat-42' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'hold.created', subjectId: result.id, payload: { holdId: result.id, resourceId: t.chen.id, start: result.start } });
  });

  it('gives "any resource" to the next free one, then refuses when every one is taken', async () => {
    const first = await hold('2026-12-02 12:00');
    const second = await hold('2026-12-02 12:00');
    expect([first.resourceId, second.resourceId]).toEqual([t.chen.id, t.rivera.id]);
    const error = await failureOf(hold('2026-12-02 12:00'));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: 'start' });
    expect(error.message).toMatch(/taken for every resource that can perform "Consultation"/);
  });

  it('rejects a slot that overlaps an active hold on the requested resource, naming it', async () => {
    await hold('2026-12-02 13:00', { resourceId: t.rivera.id });
    const error = await failureOf(hold('2026-12-02 13:15', { resourceId: t.rivera.id }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect(error.message).toBe('Slot 2026-12-02T18:15Z for resource "Dr. Rivera" is already taken');
  });

  it('counts buffers on both sides: a buffered booking blocks its neighbours', async () => {
    await engine.hold({ tenantId: t.tenant.id, serviceId: t.buffered.id, start: at('2026-12-03 10:00'), resourceId: t.chen.id, sessionId: 's' });
    // 10:30 + 15 min after-buffer reaches 10:45; 09:30 ends exactly when the 09:50 before-buffer begins.
    expect(await failureOf(hold('2026-12-03 10:30', { resourceId: t.chen.id }))).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(hold('2026-12-03 10:45', { resourceId: t.chen.id })).resolves.toMatchObject({ status: 'active' });
    await expect(hold('2026-12-03 09:15', { resourceId: t.chen.id })).resolves.toMatchObject({ status: 'active' });
    expect(await failureOf(hold('2026-12-03 09:30', { resourceId: t.chen.id }))).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });

  it('never lets an expired hold block: it is released on the spot with hold.expired', async () => {
    const stale = await hold('2026-12-04 10:00', { resourceId: t.chen.id, sessionId: 'stale', ttlSeconds: 60 });
    clock.advance(61_000);
    const fresh = await hold('2026-12-04 10:00', { resourceId: t.chen.id, sessionId: 'fresh' });
    expect(fresh.resourceId).toBe(t.chen.id);
    const { rows } = await db.pool.query('SELECT h.status, c.is_active FROM holds h JOIN claims c ON c.id = h.claim_id WHERE h.id = $1', [stale.id]);
    expect(rows[0]).toEqual({ status: 'expired', is_active: false });
    const events = await listEvents(db.pool, { tenantId: t.tenant.id, sessionId: 'stale' });
    expect(events.map((e) => e.type)).toEqual(['hold.created', 'hold.expired']);
    clock.set(testNow);
  });

  it('honours a ttlSeconds override', async () => {
    const result = await hold('2026-12-04 12:00', { ttlSeconds: 600 });
    expect(result.expiresAt).toBe('2026-12-01T07:10:00.000-05:00');
  });

  it.each([
    ['outside opening hours', '2026-12-02 23:45', /outside opening hours|too little time/],
    ['off the slot grid', '2026-12-02 10:07', /15-minute grid/],
    ['in the past', '2026-11-30 10:00', /in the past/],
  ])('refuses a start %s with SLOT_UNAVAILABLE', async (_case, start, message) => {
    const error = await failureOf(hold(start));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect(error.message).toMatch(message);
  });

  it('refuses an unknown service with NOT_FOUND', async () => {
    const error = await failureOf(engine.hold({ tenantId: t.tenant.id, serviceId: '00000000-0000-4000-8000-000000000000', start: at('2026-12-02 10:00'), sessionId: 's' }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'serviceId' });
  });

  it('refuses a resource that cannot perform the service with NOT_FOUND', async () => {
    const error = await failureOf(engine.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, resourceId: t.rivera.id, start: at('2026-12-02 10:00'), sessionId: 's' }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'resourceId' });
  });

  it.each([
    ['tenantId', { tenantId: 'nope' }],
    ['serviceId', { serviceId: 'x'.repeat(10_000) }],
    ['start', { start: '2026-12-02T10:00:00' }],
    ['start', { start: 'tomorrow at ten' }],
    ['sessionId', { sessionId: 's'.repeat(201) }],
    ['sessionId', { sessionId: '' }],
    ['ttlSeconds', { ttlSeconds: 10 }],
    ['resourceId', { resourceId: 'Dr. Chen' }],
  ])('rejects a bad %s with VALIDATION naming it, writing nothing', async (field, bad) => {
    const before = await countRows(db.pool, 'holds');
    const base = { tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-05 10:00'), sessionId: 's' };
    const error = await failureOf(engine.hold({ ...base, ...bad } as never));
    expect(error).toMatchObject({ code: 'VALIDATION', field });
    expect(await countRows(db.pool, 'holds')).toBe(before);
  });
});
