// Many separate connections racing for the same time: exactly one may win, the rest must hear
// SLOT_UNAVAILABLE (never BUSY, never a raw pg error), and the claims must never overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../src/testing/index.js';
import { createBookingEngine, type BookingEngine } from '../src/engine/engine.js';
import type { Appointment } from '../src/bookings/types.js';
import { at, countRows, createBookingTenant, overlappingClaims, testNow, type BookingTenant } from './fixtures.js';

const racers = 200;

let db: TestDatabase;
let clock: ManualClock;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase({ max: racers });
  clock = new ManualClock(testNow);
  engine = createBookingEngine({ pool: db.pool, clock });
  t = await createBookingTenant(db.pool, 'race-clinic');
  // Open every connection up front, so the race is between transactions, not connection set-ups.
  const clients = await Promise.all(Array.from({ length: racers }, () => db.pool.connect()));
  clients.forEach((c) => c.release());
});
afterAll(async () => {
  await db.drop();
});

/** Outcome codes of settled promises: 'ok' or the BookingError code (or the raw message). */
async function outcomes<T>(promises: Promise<T>[]): Promise<{ codes: Record<string, number>; values: T[] }> {
  const settled = await Promise.allSettled(promises);
  const codes: Record<string, number> = {};
  const values: T[] = [];
  for (const s of settled) {
    const key = s.status === 'fulfilled' ? 'ok' : ((s.reason as { code?: string }).code ?? String(s.reason));
    codes[key] = (codes[key] ?? 0) + 1;
    if (s.status === 'fulfilled') values.push(s.value);
  }
  return { codes, values };
}

async function book(local: string, sessionId: string): Promise<Appointment> {
  const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at(local), resourceId: t.chen.id, sessionId });
  return engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId, client: { name: sessionId, email: `${sessionId}@example.com` } });
}

const activeClaimsAt = async (local: string) =>
  countRows(db.pool, 'claims', `tenant_id = '${t.tenant.id}' AND is_active AND during && tstzrange('${at(local)}', '${new Date(Date.parse(at(local)) + 30 * 60_000).toISOString()}')`);

describe('holdSlot under contention', () => {
  it(`lets exactly one of ${racers} simultaneous holds on one slot win`, async () => {
    const start = at('2026-12-02 10:00');
    const { codes } = await outcomes(
      Array.from({ length: racers }, (_, i) => engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start, resourceId: t.chen.id, sessionId: `racer-${i}` })),
    );
    expect(codes).toEqual({ ok: 1, SLOT_UNAVAILABLE: racers - 1 });
    expect(await activeClaimsAt('2026-12-02 10:00')).toBe(1);
    expect(await overlappingClaims(db.pool)).toBe(0);
  });

  it(`gives "any resource" holds exactly one winner per resource among ${racers}`, async () => {
    const start = at('2026-12-02 11:00');
    const { codes, values } = await outcomes(Array.from({ length: racers }, (_, i) => engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start, sessionId: `any-${i}` })));
    expect(codes).toEqual({ ok: 2, SLOT_UNAVAILABLE: racers - 2 });
    expect(new Set(values.map((h) => h.resourceId))).toEqual(new Set([t.chen.id, t.rivera.id]));
    expect(await overlappingClaims(db.pool)).toBe(0);
  });
});

describe('confirm racing holds', () => {
  it('lets the owner confirm a live hold while every rival hold on the slot fails', async () => {
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-03 10:00'), resourceId: t.chen.id, sessionId: 'owner' });
    const confirm = engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'owner', client: { name: 'Owner', email: 'o@example.com' } });
    const rivals = Array.from({ length: racers - 1 }, (_, i) => engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: hold.start, resourceId: t.chen.id, sessionId: `rival-${i}` }));
    const [confirmed, rivalOutcomes] = await Promise.all([confirm, outcomes(rivals)]);
    expect(confirmed.status).toBe('booked');
    expect(rivalOutcomes.codes).toEqual({ SLOT_UNAVAILABLE: racers - 1 });
    expect(await activeClaimsAt('2026-12-03 10:00')).toBe(1);
  });

  it('after the hold lapses, refuses its confirm and lets exactly one rival take the slot', async () => {
    const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: at('2026-12-03 11:00'), resourceId: t.chen.id, sessionId: 'late', ttlSeconds: 30 });
    clock.advance(30_000);
    try {
      const confirm = engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'late', client: { name: 'Late', email: 'l@example.com' } }).catch((e: { code: string }) => e.code);
      const rivals = Array.from({ length: racers - 1 }, (_, i) => engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: hold.start, resourceId: t.chen.id, sessionId: `next-${i}` }));
      const [confirmCode, rivalOutcomes] = await Promise.all([confirm, outcomes(rivals)]);
      expect(confirmCode).toBe('HOLD_EXPIRED');
      expect(rivalOutcomes.codes).toEqual({ ok: 1, SLOT_UNAVAILABLE: racers - 2 });
      expect(await countRows(db.pool, 'appointments', `hold_id = '${hold.id}'`)).toBe(0);
      expect(await activeClaimsAt('2026-12-03 11:00')).toBe(1);
    } finally {
      clock.set(testNow);
    }
  });
});

describe('rescheduleAppointment under contention', () => {
  it('fails every move of a ring where each booking moves onto the next one\'s slot, leaving all in place', async () => {
    const times = Array.from({ length: 20 }, (_, i) => `2026-12-04 ${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);
    const ring = await Promise.all(times.map((time, i) => book(time, `ring-${i}`)));
    const { codes } = await outcomes(
      ring.map((a, i) => engine.reschedule({ tenantId: t.tenant.id, reference: a.reference, verify: { staff: true }, newStart: ring[(i + 1) % ring.length]!.start, resourceId: t.chen.id })),
    );
    expect(codes).toEqual({ SLOT_UNAVAILABLE: 20 });
    for (const a of ring) expect((await engine.getAppointment({ tenantId: t.tenant.id, reference: a.reference })).start).toBe(a.start);
    expect(await overlappingClaims(db.pool)).toBe(0);
  });

  it('keeps a chain of moves into a free slot consistent: whatever commits, no overlap and every booking keeps one claim', async () => {
    const times = ['2026-12-05 09:00', '2026-12-05 09:30', '2026-12-05 10:00', '2026-12-05 10:30'];
    const chain = await Promise.all(times.map((time, i) => book(time, `chain-${i}`)));
    const targets = [...times.slice(1), '2026-12-05 11:00'];
    const { codes } = await outcomes(chain.map((a, i) => engine.reschedule({ tenantId: t.tenant.id, reference: a.reference, verify: { staff: true }, newStart: at(targets[i]!), resourceId: t.chen.id })));
    // The last move (into the free slot) can always win; each other one wins only after its successor's.
    expect((codes.ok ?? 0) + (codes.SLOT_UNAVAILABLE ?? 0)).toBe(chain.length);
    const { rows } = await db.pool.query<{ n: number; claims: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE c.is_active AND lower(c.during) = a.starts_at)::int AS claims
         FROM appointments a JOIN claims c ON c.id = a.claim_id WHERE a.reference = ANY($1)`,
      [chain.map((a) => a.reference)],
    );
    expect(rows[0]).toEqual({ n: chain.length, claims: chain.length });
    expect(await overlappingClaims(db.pool)).toBe(0);
  });

  it('lets exactly one of many bookings moved onto the same free slot win', async () => {
    const many = await Promise.all(Array.from({ length: 40 }, (_, i) => book(`2026-12-06 ${String(Math.floor(i / 4) + 8).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`, `many-${i}`).catch(() => null)));
    const booked = many.filter((a): a is Appointment => a !== null);
    const { codes } = await outcomes(booked.map((a) => engine.reschedule({ tenantId: t.tenant.id, reference: a.reference, verify: { staff: true }, newStart: at('2026-12-06 20:00'), resourceId: t.chen.id })));
    expect(codes).toEqual({ ok: 1, SLOT_UNAVAILABLE: booked.length - 1 });
    expect(await overlappingClaims(db.pool)).toBe(0);
  });
});
