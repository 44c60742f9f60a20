// What broke (issue 15): eight customers holding the same resource at once got HTTP 503 BUSY answers.
// The hold ran SERIALIZABLE with its snapshot taken before the per-resource lock, so a hold
// queued behind another read claims that were stale by the time it got the lock, and aborted with
// 40001 until the retries ran out (~1,900 rollbacks per 20 s). Fixed by taking the lock before the
// claims are read, at READ COMMITTED (bookings/hold-claim.ts). Every transaction attempt checks a
// connection out of the pool, so "no retry" is exactly "one checkout per operation".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { at, client, createBookingTenant, overlappingClaims, testNow, type BookingTenant } from '../../test/fixtures.js';

const streams = 8;
const perStream = 12;

let db: TestDatabase;
let engine: BookingEngine;
let t: BookingTenant;

beforeAll(async () => {
  db = await createTestDatabase({ max: streams * 2 });
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  t = await createBookingTenant(db.pool, 'regress-eight');
});
afterAll(async () => {
  await db.drop();
});

/** The i-th half-hour slot from 02:00 on 3 December (40 a day), so no two bookings compete for a time. */
const slot = (i: number) => at(`2026-12-0${3 + Math.floor(i / 40)} ${String(2 + Math.floor((i % 40) / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

describe('regression: eight customers holding the same resource at once get no busy answer', () => {
  it(`books ${streams} × ${perStream} hold+confirm on one resource with no BUSY and no retried transaction`, async () => {
    let checkouts = 0;
    const count = () => checkouts++;
    db.pool.on('acquire', count);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: streams }, async (_, s) => {
          for (let k = 0; k < perStream; k++) {
            const sessionId = `s-${s}-${k}`;
            const hold = await engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: slot(s * perStream + k), resourceId: t.chen.id, sessionId });
            await engine.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId, client });
          }
        }),
      );
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
      expect(checkouts).toBe(streams * perStream * 2);
    } finally {
      db.pool.off('acquire', count);
    }
    expect(await overlappingClaims(db.pool)).toBe(0);
  });

  it('lets exactly one of eight win the same slot and answers the rest SLOT_UNAVAILABLE on their first attempt', async () => {
    let checkouts = 0;
    const count = () => checkouts++;
    db.pool.on('acquire', count);
    try {
      const settled = await Promise.allSettled(
        Array.from({ length: streams }, (_, i) => engine.hold({ tenantId: t.tenant.id, serviceId: t.consult.id, start: slot(150), resourceId: t.chen.id, sessionId: `same-${i}` })),
      );
      const codes = settled.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as { code?: string }).code));
      expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
      expect(codes.filter((c) => c === 'SLOT_UNAVAILABLE')).toHaveLength(streams - 1);
      // Under SERIALIZABLE each loser queued on the lock read a snapshot from before the winner
      // committed, hit 40001 and ran again: at least one more checkout per queued loser.
      expect(checkouts).toBe(streams);
    } finally {
      db.pool.off('acquire', count);
    }
    expect(await overlappingClaims(db.pool)).toBe(0);
  });
});
