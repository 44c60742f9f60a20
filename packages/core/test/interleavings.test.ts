// Property: whatever mix of hold / confirm / reschedule / cancel / expiry runs, in whatever
// interleaving across connections, no two active claims overlap on a resource, every active claim
// belongs to exactly one live hold or booking, and the database agrees with a simple model that is
// updated only from the operations' own answers. Single-operation batches must also answer exactly
// what the model predicts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../src/testing/index.js';
import { createBookingEngine, type BookingEngine } from '../src/engine/engine.js';
import { isBookingError } from '../src/errors.js';
import { at, createBookingTenant, overlappingClaims, testNow, type BookingTenant } from './fixtures.js';

const slotTimes = ['10:00', '10:15', '10:30', '10:45', '11:00'].map((time) => at(`2026-12-02 ${time}`));
const minute = 60_000;
const ttlSeconds = 300;
const expectedFailures = new Set(['SLOT_UNAVAILABLE', 'HOLD_EXPIRED', 'HOLD_NOT_ACTIVE', 'ALREADY_CANCELLED']);

type Target = 'chen' | 'rivera' | 'any';
type Op =
  | { kind: 'hold'; slot: number; target: Target }
  | { kind: 'confirm'; pick: number }
  | { kind: 'reschedule'; pick: number; slot: number; target: Target }
  | { kind: 'cancel'; pick: number };
interface Batch {
  advanceSeconds: number;
  sweep: boolean;
  ops: Op[];
}

const target = fc.constantFrom<Target>('chen', 'rivera', 'any');
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('hold' as const), slot: fc.nat(slotTimes.length - 1), target }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat(20) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('reschedule' as const), pick: fc.nat(20), slot: fc.nat(slotTimes.length - 1), target }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(20) }), weight: 1 },
);
const batch: fc.Arbitrary<Batch> = fc.record({
  advanceSeconds: fc.constantFrom(0, 0, 0, 120, 400),
  sweep: fc.boolean(),
  ops: fc.array(op, { minLength: 1, maxLength: 4 }),
});

interface ModelHold {
  id: string;
  resourceId: string;
  start: number;
  expiresAt: number;
  sessionId: string;
  status: 'active' | 'confirmed' | 'gone';
}
interface ModelBooking {
  reference: string;
  resourceId: string;
  start: number;
  status: 'booked' | 'cancelled';
}

let db: TestDatabase;
let clock: ManualClock;
let engine: BookingEngine;
let run = 0;

beforeAll(async () => {
  db = await createTestDatabase({ max: 12 });
  clock = new ManualClock(testNow);
  engine = createBookingEngine({ pool: db.pool, clock });
});
afterAll(async () => {
  await db.drop();
});

class Model {
  holds: ModelHold[] = [];
  bookings: ModelBooking[] = [];
  constructor(readonly t: BookingTenant) {}

  resourceOf(target: Target): string | undefined {
    return target === 'chen' ? this.t.chen.id : target === 'rivera' ? this.t.rivera.id : undefined;
  }

  /** Is [start, start+30) free on the resource at `now`, ignoring one booking being moved? */
  isFree(resourceId: string, start: number, now: number, moving?: ModelBooking): boolean {
    const overlaps = (s: number) => s < start + 30 * minute && start < s + 30 * minute;
    return (
      !this.holds.some((h) => h.status === 'active' && h.expiresAt > now && h.resourceId === resourceId && overlaps(h.start)) &&
      !this.bookings.some((b) => b !== moving && b.status === 'booked' && b.resourceId === resourceId && overlaps(b.start))
    );
  }

  candidates(target: Target): string[] {
    const only = this.resourceOf(target);
    return only ? [only] : [this.t.chen.id, this.t.rivera.id];
  }
}

async function apply(model: Model, o: Op, index: number): Promise<{ ok: boolean; code?: string; predicted?: boolean }> {
  const { t } = model;
  const now = clock.now().getTime();
  try {
    if (o.kind === 'hold') {
      const start = Date.parse(slotTimes[o.slot]!);
      const predicted = model.candidates(o.target).some((r) => model.isFree(r, start, now));
      const sessionId = `s-${index}-${Math.random().toString(36).slice(2, 8)}`;
      const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: slotTimes[o.slot]!, resourceId: model.resourceOf(o.target), sessionId, ttlSeconds });
      model.holds.push({ id: hold.id, resourceId: hold.resourceId, start, expiresAt: Date.parse(hold.expiresAt), sessionId, status: 'active' });
      return { ok: true, predicted };
    }
    if (o.kind === 'confirm') {
      const hold = model.holds[o.pick % Math.max(1, model.holds.length)];
      if (!hold) return { ok: false, code: 'SKIP' };
      const predicted = hold.status === 'active' && hold.expiresAt > now;
      const booking = await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: hold.sessionId, client: { name: 'P', email: 'p@example.com' } });
      hold.status = 'confirmed';
      model.bookings.push({ reference: booking.reference, resourceId: booking.resourceId, start: Date.parse(booking.start), status: 'booked' });
      return { ok: true, predicted };
    }
    const booking = model.bookings[o.pick % Math.max(1, model.bookings.length)];
    if (!booking) return { ok: false, code: 'SKIP' };
    if (o.kind === 'cancel') {
      const predicted = booking.status === 'booked';
      await engine.cancel({ tenantId: t.tenant.id, reference: booking.reference, verify: { email: 'P@EXAMPLE.com' } });
      booking.status = 'cancelled';
      return { ok: true, predicted };
    }
    const start = Date.parse(slotTimes[o.slot]!);
    const predicted = booking.status === 'booked' && model.candidates(o.target).some((r) => model.isFree(r, start, now, booking));
    const moved = await engine.reschedule({ tenantId: t.tenant.id, reference: booking.reference, verify: { staff: true }, newStart: slotTimes[o.slot]!, resourceId: model.resourceOf(o.target) });
    booking.resourceId = moved.resourceId;
    booking.start = start;
    return { ok: true, predicted };
  } catch (error) {
    if (!isBookingError(error) || !expectedFailures.has(error.code)) throw error;
    return { ok: false, code: error.code, predicted: false };
  }
}

async function checkAgainstModel(model: Model): Promise<void> {
  expect(await overlappingClaims(db.pool)).toBe(0);
  const tenantId = model.t.tenant.id;
  const now = clock.now();
  // Every active claim is held by exactly one active hold or booked appointment.
  const { rows: orphans } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM claims c
      WHERE c.tenant_id = $1 AND c.is_active
        AND (SELECT count(*) FROM holds h WHERE h.claim_id = c.id AND h.status = 'active')
          + (SELECT count(*) FROM appointments a WHERE a.claim_id = c.id AND a.status = 'booked') <> 1`,
    [tenantId],
  );
  expect(orphans[0]!.n).toBe(0);
  const { rows: live } = await db.pool.query<{ id: string }>(`SELECT id FROM holds WHERE tenant_id = $1 AND status = 'active' AND expires_at > $2 ORDER BY id`, [tenantId, now]);
  const modelLive = model.holds.filter((h) => h.status === 'active' && h.expiresAt > now.getTime()).map((h) => h.id).sort();
  expect(live.map((r) => r.id)).toEqual(modelLive);
  const { rows: booked } = await db.pool.query<{ reference: string; resourceId: string; start: Date }>(
    `SELECT reference, resource_id AS "resourceId", starts_at AS start FROM appointments WHERE tenant_id = $1 AND status = 'booked' ORDER BY reference`,
    [tenantId],
  );
  const modelBooked = model.bookings.filter((b) => b.status === 'booked').sort((a, b) => a.reference.localeCompare(b.reference));
  expect(booked.map((b) => [b.reference, b.resourceId, b.start.getTime()])).toEqual(modelBooked.map((b) => [b.reference, b.resourceId, b.start]));
}

describe('random interleavings of booking operations', () => {
  it('never overlap claims and always agree with the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 3, maxLength: 10 }), async (batches) => {
        clock.set(testNow);
        const model = new Model(await createBookingTenant(db.pool, `prop-${run++}`));
        for (const b of batches) {
          clock.advance(b.advanceSeconds * 1000);
          if (b.sweep) {
            await engine.expireHolds();
            for (const h of model.holds) if (h.status === 'active' && h.expiresAt <= clock.now().getTime()) h.status = 'gone';
          }
          const results = await Promise.all(b.ops.map((o, i) => apply(model, o, i)));
          if (b.ops.length === 1 && results[0]!.code !== 'SKIP') expect(results[0]!.ok).toBe(results[0]!.predicted);
          await checkAgainstModel(model);
        }
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});
