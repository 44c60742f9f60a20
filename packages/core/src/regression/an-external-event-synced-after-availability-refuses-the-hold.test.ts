// Issue 18: "A booking race against an external event created between the cache and the hold:
// refused." Availability (from Postgres and from the in-memory index) offers a slot; a connected
// calendar's sync then writes a busy block over it; the hold must refuse it, not double-book.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, client, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';
import { createBusyIndex } from '../availability/busy-index.js';
import { withTenant } from '../db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { clearExternalBusy, replaceExternalBusy, upsertExternalBusy } from '../external-busy/store.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
let t: BookingTenant;
let engines: [string, BookingEngine][];

beforeAll(async () => {
  db = await createTestDatabase();
  const clock = new ManualClock(testNow);
  engines = [
    ['from Postgres', createBookingEngine({ pool: db.pool, clock })],
    ['from the in-memory index', createBookingEngine({ pool: db.pool, clock, busyIndex: createBusyIndex({ pool: db.pool }) })],
  ];
  t = await createBookingTenant(db.pool, 'external-busy-clinic');
});
afterAll(async () => {
  await db.drop();
});

const source = 'google:test';

async function syncBlock(externalId: string, start: string, end: string): Promise<void> {
  await withTenant(db.pool, t.tenant.id, (c) => upsertExternalBusy(c, { tenantId: t.tenant.id, resourceId: t.chen.id, source }, [{ externalId, start: new Date(at(start)), end: new Date(at(end)) }]));
}

async function offeredStarts(engine: BookingEngine, day: string, serviceId = t.chenOnly.id): Promise<string[]> {
  const availability = await engine.getAvailability({ tenantId: t.tenant.id, serviceId, from: day, to: day, resourceId: t.chen.id });
  return availability.slots.map((slot) => slot.start);
}

describe('regression: an external event synced after availability refuses the hold', () => {
  it.each([0, 1])('refuses the hold (availability %s), and availability stops offering the slot', async (which) => {
    const [, engine] = engines[which]!;
    const day = which === 0 ? '2026-12-03' : '2026-12-04';
    const slot = at(`${day} 10:00`);
    const before = await offeredStarts(engine, day);
    expect(before.map((s) => s.slice(11, 16))).toContain('10:00');

    // The dentist's lunch with her accountant lands in her Google calendar after the read.
    await syncBlock(`lunch-${day}`, `${day} 10:15`, `${day} 11:00`);
    const error = await failureOf(engine.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: slot, resourceId: t.chen.id, sessionId: `chat-${which}` }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: 'start' });
    expect(error.message).toContain('busy in its connected calendar');

    const after = await offeredStarts(engine, day);
    expect(after.length).toBeLessThan(before.length);
    for (const blocked of ['10:00', '10:15', '10:30', '10:45']) expect(after.map((s) => s.slice(11, 16))).not.toContain(blocked);
    expect(after.map((s) => s.slice(11, 16))).toContain('11:00');
  });

  it('blocks the buffered range of a service, as claims do', async () => {
    const [, engine] = engines[0]!;
    await syncBlock('gap', '2026-12-05 10:40', '2026-12-05 10:50');
    const starts = (await engine.getAvailability({ tenantId: t.tenant.id, serviceId: t.buffered.id, from: '2026-12-05', to: '2026-12-05', resourceId: t.chen.id })).slots.map((s) => s.start.slice(11, 16));
    // 30 minutes + 15 after: a 10:00 start keeps the room until 10:45, overlapping the block.
    expect(starts).not.toContain('10:00');
    expect(starts).toContain('09:45');
  });

  it('refuses a move onto external busy time, and frees the time once the source is cleared', async () => {
    const [, engine] = engines[0]!;
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-06 09:00'), resourceId: t.chen.id, sessionId: 'chat-move' });
    const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'chat-move', client });
    await withTenant(db.pool, t.tenant.id, (c) => replaceExternalBusy(c, { tenantId: t.tenant.id, resourceId: t.chen.id, source }, [{ externalId: 'meeting', start: new Date(at('2026-12-06 14:00')), end: new Date(at('2026-12-06 15:00')) }]));
    const moved = await failureOf(engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true }, newStart: at('2026-12-06 14:30') }));
    expect(moved).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await withTenant(db.pool, t.tenant.id, (c) => clearExternalBusy(c, { tenantId: t.tenant.id, resourceId: t.chen.id, source }));
    await expect(engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true }, newStart: at('2026-12-06 14:30') })).resolves.toMatchObject({ start: expect.stringContaining('14:30') });
  });
});
