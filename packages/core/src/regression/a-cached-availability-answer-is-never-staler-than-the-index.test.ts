// What the brief of issue 15 asked to rule out: availability answers from memory are reused (the
// same object, so the server can resend the bytes it serialised for it), and a reused answer must
// never offer what the index and schedule would not offer at that instant — not a slot booked since,
// not one that came within the minimum notice, not one closed by new hours or a synced calendar
// block, and never another tenant's answer. Each case compares with availability read from Postgres.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, createBookingTenant, failureOf, testNow, type BookingTenant } from '../../test/fixtures.js';
import { createAnswerCache } from '../availability/answer-cache.js';
import { createBusyIndex, type BusyIndex } from '../availability/busy-index.js';
import { getAvailability } from '../availability/get-availability.js';
import { createHoursCache, type HoursCache } from '../availability/hours-cache.js';
import type { AvailabilityQuery } from '../availability/types.js';
import { withTenant } from '../db/transaction.js';
import { createBookingEngine, type BookingEngine, type EngineContext } from '../engine/engine.js';
import { upsertExternalBusy } from '../external-busy/store.js';
import { createCatalogCache } from '../tenants/catalog-cache.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
let clock: ManualClock;
let fromPostgres: BookingEngine;
let t: BookingTenant;
let index: BusyIndex;
let hours: HoursCache;
let ctx: EngineContext;
/** The hours cache's monotonic clock, moved by hand so its TTL passes exactly when a test says. */
let monotonic = 0;
let lastNotified = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(testNow);
  fromPostgres = createBookingEngine({ pool: db.pool, clock });
});
afterAll(async () => {
  await db.drop();
});

beforeEach(async () => {
  t = await createBookingTenant(db.pool, `cached-${Math.random().toString(36).slice(2, 8)}`);
  clock.set(testNow);
  index = createBusyIndex({ pool: db.pool, gapGraceMs: 0 });
  hours = createHoursCache(1000, () => monotonic);
  ctx = { pool: db.pool, clock, catalog: createCatalogCache(0), hours, answers: createAnswerCache(), busyIndex: index };
  const { rows } = await db.pool.query<{ id: number }>('SELECT coalesce(max(id), 0)::int AS id FROM domain_events');
  lastNotified = rows[0]!.id;
});

/** Hands the index every domain event written since the last call, as the event hub would. */
async function notifyIndex(): Promise<void> {
  const { rows } = await db.pool.query<{ id: number; tenantId: string }>('SELECT id::int, tenant_id AS "tenantId" FROM domain_events WHERE id > $1 ORDER BY id', [lastNotified]);
  for (const row of rows) await index.notify(row.tenantId, row.id);
  lastNotified = rows.at(-1)?.id ?? lastNotified;
}

/** Lets the hours cache's TTL pass and waits for its background refresh to bring a new schedule. */
async function refreshSchedule(): Promise<void> {
  const before = await hours.read(t.tenant.id, () => Promise.reject(new Error('loaded')));
  monotonic += 1001;
  await getAvailability(ctx, query()); // starts the refresh, answers from the old schedule meanwhile
  for (let i = 0; i < 200 && (await hours.read(t.tenant.id, () => Promise.reject(new Error('loaded')))) === before; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const query = (extra: Partial<AvailabilityQuery> = {}): AvailabilityQuery => ({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, from: '2026-12-02', to: '2026-12-02', ...extra });
const starts = (answer: { slots: { start: string }[] }) => answer.slots.map((slot) => slot.start.slice(11, 16));

/**
 * Asks until the answer is the cached one and checks it against Postgres at the same instant. The
 * very first question of a tenant loads its index and is not cached (no version to stamp it with).
 */
async function expectCachedAndExact(q: AvailabilityQuery = query()) {
  await getAvailability(ctx, q);
  const first = await getAvailability(ctx, q);
  const again = await getAvailability(ctx, q);
  expect(again).toBe(first);
  expect(again).toEqual(await fromPostgres.getAvailability(q));
  return again;
}

describe('regression: a cached availability answer is never staler than the index', () => {
  it('a cached availability answer does not offer a slot booked since', async () => {
    expect(starts(await expectCachedAndExact())).toContain('10:00');
    const hold = await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 10:00'), resourceId: t.chen.id, sessionId: 'booked-since' });
    await fromPostgres.confirm({ tenantId: t.tenant.id, holdId: hold.id, sessionId: 'booked-since', client: { name: 'Ada', email: 'ada@example.com' } });
    await notifyIndex();
    const after = await expectCachedAndExact();
    expect(starts(after)).not.toContain('10:00');
    expect(starts(after)).toContain('10:30');
  });

  it('a cached availability answer does not offer a slot that became too soon', async () => {
    await db.pool.query('UPDATE tenants SET min_notice_minutes = 60 WHERE id = $1', [t.tenant.id]);
    const today = query({ from: '2026-12-01', to: '2026-12-01' });
    // 07:00 in New York: with an hour's notice the first slot offered is 08:00…
    expect(starts(await expectCachedAndExact(today))[0]).toBe('08:00');
    // …and one millisecond later it is too soon, though nothing was written.
    clock.set(new Date(Date.parse(testNow) + 1));
    const later = await expectCachedAndExact(today);
    expect(starts(later)[0]).toBe('08:15');
  });

  it('a cached availability answer does not offer a slot after hours change', async () => {
    expect(starts(await expectCachedAndExact())).toContain('15:00');
    await db.pool.query(`UPDATE business_hours SET closes_at = '12:00' WHERE tenant_id = $1`, [t.tenant.id]);
    await refreshSchedule();
    const after = await expectCachedAndExact();
    expect(starts(after)).not.toContain('15:00');
    expect(starts(after).at(-1)).toBe('11:30');
  });

  it('a cached availability answer does not offer a slot after an external busy block syncs', async () => {
    expect(starts(await expectCachedAndExact())).toContain('10:00');
    await withTenant(db.pool, t.tenant.id, (c) =>
      upsertExternalBusy(c, { tenantId: t.tenant.id, resourceId: t.chen.id, source: 'google:test' }, [{ externalId: 'lunch', start: new Date(at('2026-12-02 10:00')), end: new Date(at('2026-12-02 11:00')) }]),
    );
    await refreshSchedule();
    const after = await expectCachedAndExact();
    expect(starts(after)).not.toContain('10:00');
    expect(starts(after)).toContain('11:00');
  });

  it('a cached availability answer offers a slot again once the hold on it lapses', async () => {
    await fromPostgres.hold({ tenantId: t.tenant.id, serviceId: t.chenOnly.id, start: at('2026-12-02 10:00'), resourceId: t.chen.id, sessionId: 'lapsing', ttlSeconds: 60 });
    await notifyIndex();
    expect(starts(await expectCachedAndExact())).not.toContain('10:00');
    clock.set(new Date(Date.parse(testNow) + 60_000));
    expect(starts(await expectCachedAndExact())).toContain('10:00');
  });

  it('a cached availability answer offers the next day once the lookahead reaches it at local midnight', async () => {
    await db.pool.query('UPDATE tenants SET lookahead_days = 1 WHERE id = $1', [t.tenant.id]);
    const twoDays = query({ from: '2026-12-02', to: '2026-12-03' });
    expect((await expectCachedAndExact(twoDays)).slots.some((s) => s.start.startsWith('2026-12-03'))).toBe(false);
    // Midnight in New York: the first slot (00:00) is still offered, only the lookahead moved.
    clock.set('2026-12-02T05:00:00.000Z');
    expect((await expectCachedAndExact(twoDays)).slots.some((s) => s.start.startsWith('2026-12-03'))).toBe(true);
  });

  it("one tenant's cached answer is never served to another", async () => {
    const other = await createBookingTenant(db.pool, `cached-other-${Math.random().toString(36).slice(2, 8)}`);
    await expectCachedAndExact();
    // The other tenant asks the very same question, naming the first tenant's service: not found.
    const error = await failureOf(getAvailability(ctx, query({ tenantId: other.tenant.id })));
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'serviceId' });
    // Its own service gets its own answer, never the first tenant's object.
    const own = await expectCachedAndExact(query({ tenantId: other.tenant.id, serviceId: other.chenOnly.id }));
    expect(own).not.toBe(await getAvailability(ctx, query()));
    expect(own.slots[0]!.resourceIds).toEqual([other.chen.id]);
  });
});
