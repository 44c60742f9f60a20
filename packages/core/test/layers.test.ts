// The four layers against overbooking (ARCHITECTURE.md), each shown to hold on its own: the others
// are switched off (EXCLUDE dropped, lock or guard bypassed, READ COMMITTED instead of SERIALIZABLE)
// and, where it makes the point, the same interleaving without the layer double-books.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ManualClock, type TestDatabase } from '../src/testing/index.js';
import { createBookingEngine, type BookingEngine, type EngineContext } from '../src/engine/engine.js';
import { withTenant } from '../src/db/transaction.js';
import { claimRange, findBlockers, insertClaim } from '../src/bookings/claim.js';
import { holdInTransaction } from '../src/bookings/hold-slot.js';
import { at, countRows, createBookingTenant, failureOf, overlappingClaims, testNow, type BookingTenant } from './fixtures.js';

let intact: TestDatabase;
let bare: TestDatabase;
let clock: ManualClock;
let engineIntact: BookingEngine;
let engineBare: BookingEngine;
let ti: BookingTenant;
let tb: BookingTenant;
const open: pg.Client[] = [];

beforeAll(async () => {
  [intact, bare] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  // Layers 2–4 are tested where layer 1 cannot rescue them.
  await bare.pool.query('ALTER TABLE claims DROP CONSTRAINT claims_no_overlap');
  clock = new ManualClock(testNow);
  engineIntact = createBookingEngine({ pool: intact.pool, clock });
  engineBare = createBookingEngine({ pool: bare.pool, clock });
  ti = await createBookingTenant(intact.pool, 'layers');
  tb = await createBookingTenant(bare.pool, 'layers');
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.end().catch(() => undefined)));
  await Promise.all([intact.drop(), bare.drop()]);
});

/** A separate connection inside an open tenant transaction, as withTenant would set it up. */
async function tenantTransaction(db: TestDatabase, tenantId: string, isolation: 'READ COMMITTED' | 'SERIALIZABLE'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url });
  open.push(client);
  await client.connect();
  await client.query(`BEGIN ISOLATION LEVEL ${isolation}; SET LOCAL ROLE gomomo_app; SET LOCAL app.tenant_id = '${tenantId}'`);
  return client;
}

async function waitForLockWaiters(db: TestDatabase, count: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0]!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('nobody started waiting for the lock');
}

/** Guard then insert of a hold's claim and row, with no lock: the unprotected check-then-act. */
async function guardAndInsert(client: pg.Client, t: BookingTenant, local: string, step: 'guard' | 'insert', found?: unknown[]) {
  const start = new Date(at(local));
  const { from, to, end } = claimRange(t.consult, start);
  if (step === 'guard') return findBlockers(client, { tenant: t.tenant, resourceId: t.chen.id, from, to });
  if (found && found.length > 0) throw new Error('guard found a blocker');
  const claimId = await insertClaim(client, { tenantId: t.tenant.id, resourceId: t.chen.id, from, to });
  await client.query(
    `INSERT INTO holds (tenant_id, claim_id, service_id, resource_id, session_id, starts_at, ends_at, expires_at) VALUES ($1, $2, $3, $4, 'raw', $5, $6, $7)`,
    [t.tenant.id, claimId, t.consult.id, t.chen.id, start, end, new Date(Date.parse(testNow) + 300_000)],
  );
  return [];
}

describe('layer 1: the EXCLUDE constraint on active claims', () => {
  it('refuses a second overlapping claim from another connection with no lock and no guard', async () => {
    const a = await tenantTransaction(intact, ti.tenant.id, 'READ COMMITTED');
    const b = await tenantTransaction(intact, ti.tenant.id, 'READ COMMITTED');
    const range = claimRange(ti.consult, new Date(at('2026-12-02 08:00')));
    await insertClaim(a, { tenantId: ti.tenant.id, resourceId: ti.chen.id, ...range });
    const second = insertClaim(b, { tenantId: ti.tenant.id, resourceId: ti.chen.id, from: new Date(range.from.getTime() + 15 * 60_000), to: new Date(range.to.getTime() + 15 * 60_000) }).catch((e: unknown) => e);
    await waitForLockWaiters(intact, 1);
    await a.query('COMMIT');
    expect((await second as { code?: string }).code).toBe('23P01');
    await b.query('ROLLBACK');
    expect(await overlappingClaims(intact.pool)).toBe(0);
  });

  it('is reported by the engine as SLOT_UNAVAILABLE with the specifics, when the guard cannot see the claim', async () => {
    // A bare claim (no hold, no appointment) is invisible to the cross-table guard: only EXCLUDE stops it.
    const range = claimRange(ti.consult, new Date(at('2026-12-02 10:00')));
    await intact.pool.query(`INSERT INTO claims (tenant_id, resource_id, during) VALUES ($1, $2, tstzrange($3, $4, '[)'))`, [ti.tenant.id, ti.chen.id, range.from, range.to]);
    const error = await failureOf(engineIntact.hold({ tenantId: ti.tenant.id, serviceId: ti.consult.id, start: at('2026-12-02 10:00'), resourceId: ti.chen.id, sessionId: 's' }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE', message: 'Slot 2026-12-02T15:00Z for resource "Dr. Chen" is already taken' });
    expect(((error as Error).cause as { code?: string }).code).toBe('23P01');
  });

  it('moves an "any resource" hold on to the next candidate after a 23P01, instead of failing it', async () => {
    const hold = await engineIntact.hold({ tenantId: ti.tenant.id, serviceId: ti.consult.id, start: at('2026-12-02 10:00'), sessionId: 's' });
    expect(hold.resourceId).toBe(ti.rivera.id);
  });
});

describe('layer 2: the advisory lock per (tenant, resource)', () => {
  it('queues a second booking transaction behind the first, so its guard sees the winner (no EXCLUDE)', async () => {
    const ctx: EngineContext = { pool: bare.pool, clock };
    const data = { tenantId: tb.tenant.id, serviceId: tb.consult.id, start: new Date(at('2026-12-03 10:00')), resourceId: tb.chen.id, sessionId: 'a' };
    const a = await tenantTransaction(bare, tb.tenant.id, 'READ COMMITTED');
    const b = await tenantTransaction(bare, tb.tenant.id, 'READ COMMITTED');
    await holdInTransaction(a, { ctx, data });
    const second = holdInTransaction(b, { ctx, data: { ...data, sessionId: 'b' } }).catch((e: unknown) => e);
    await waitForLockWaiters(bare, 1);
    await a.query('COMMIT');
    expect(await second).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await b.query('ROLLBACK');
    expect(await overlappingClaims(bare.pool)).toBe(0);
  });

  it('is what makes the difference: the same check-then-insert without the lock double-books', async () => {
    const a = await tenantTransaction(bare, tb.tenant.id, 'READ COMMITTED');
    const b = await tenantTransaction(bare, tb.tenant.id, 'READ COMMITTED');
    const seenA = await guardAndInsert(a, tb, '2026-12-03 12:00', 'guard');
    const seenB = await guardAndInsert(b, tb, '2026-12-03 12:00', 'guard');
    await guardAndInsert(a, tb, '2026-12-03 12:00', 'insert', seenA);
    await guardAndInsert(b, tb, '2026-12-03 12:00', 'insert', seenB);
    await a.query('COMMIT');
    await b.query('COMMIT');
    expect(await overlappingClaims(bare.pool)).toBe(1);
    await bare.pool.query(`UPDATE claims SET is_active = false WHERE lower(during) = $1`, [new Date(at('2026-12-03 12:00'))]);
  });
});

describe('layer 3: SERIALIZABLE with bounded, jittered retry', () => {
  it('fails one of two interleaved check-then-inserts with 40001 (no EXCLUDE, no lock)', async () => {
    const a = await tenantTransaction(bare, tb.tenant.id, 'SERIALIZABLE');
    const b = await tenantTransaction(bare, tb.tenant.id, 'SERIALIZABLE');
    const seenA = await guardAndInsert(a, tb, '2026-12-03 14:00', 'guard');
    const seenB = await guardAndInsert(b, tb, '2026-12-03 14:00', 'guard');
    await guardAndInsert(a, tb, '2026-12-03 14:00', 'insert', seenA);
    const outcome = await (async () => {
      await guardAndInsert(b, tb, '2026-12-03 14:00', 'insert', seenB);
      await a.query('COMMIT');
      await b.query('COMMIT');
    })().catch((e: unknown) => e);
    expect((outcome as { code?: string }).code).toBe('40001');
    await a.query('ROLLBACK').catch(() => undefined);
    await b.query('ROLLBACK');
    expect(await overlappingClaims(bare.pool)).toBe(0);
  });

  it('re-runs the whole transaction after a serialization failure', async () => {
    let attempts = 0;
    const result = await withTenant(bare.pool, tb.tenant.id, async (client) => {
      attempts++;
      await client.query(`INSERT INTO domain_events (tenant_id, type, occurred_at) VALUES ($1, 'slot.opened', now())`, [tb.tenant.id]);
      if (attempts === 1) await client.query(`DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$`);
      return 'done';
    });
    expect({ result, attempts }).toEqual({ result: 'done', attempts: 2 });
    expect(await countRows(bare.pool, 'domain_events', `type = 'slot.opened'`)).toBe(1);
  });

  it('gives up with BUSY after the bounded attempts, having written nothing', async () => {
    let attempts = 0;
    const error = await failureOf(
      withTenant(
        bare.pool,
        tb.tenant.id,
        async (client) => {
          attempts++;
          await client.query(`INSERT INTO domain_events (tenant_id, type, occurred_at) VALUES ($1, 'reminder.due', now())`, [tb.tenant.id]);
          await client.query(`DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'deadlock_detected'; END $$`);
        },
        { maxAttempts: 4 },
      ),
    );
    expect(error).toMatchObject({ code: 'BUSY' });
    expect(attempts).toBe(4);
    expect(await countRows(bare.pool, 'domain_events', `type = 'reminder.due'`)).toBe(0);
  });
});

describe('layer 4: the cross-table guard', () => {
  it('rejects a slot overlapping a live hold, with no EXCLUDE to fall back on', async () => {
    await engineBare.hold({ tenantId: tb.tenant.id, serviceId: tb.consult.id, start: at('2026-12-04 10:00'), resourceId: tb.chen.id, sessionId: 'g1' });
    const error = await failureOf(engineBare.hold({ tenantId: tb.tenant.id, serviceId: tb.consult.id, start: at('2026-12-04 10:15'), resourceId: tb.chen.id, sessionId: 'g2' }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE', message: 'Slot 2026-12-04T15:15Z for resource "Dr. Chen" is already taken' });
    expect((error as Error).cause).toBeUndefined();
  });

  it('rejects a slot overlapping a booked appointment (buffers included)', async () => {
    const hold = await engineBare.hold({ tenantId: tb.tenant.id, serviceId: tb.buffered.id, start: at('2026-12-04 12:00'), resourceId: tb.chen.id, sessionId: 'g3' });
    await engineBare.confirm({ tenantId: tb.tenant.id, holdId: hold.id, sessionId: 'g3', client: { name: 'G', email: 'g@example.com' } });
    // 12:30 plus the 15-minute after-buffer: a booking at 12:30 would sit inside it.
    const error = await failureOf(engineBare.hold({ tenantId: tb.tenant.id, serviceId: tb.consult.id, start: at('2026-12-04 12:30'), resourceId: tb.chen.id, sessionId: 'g4' }));
    expect(error).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect(await overlappingClaims(bare.pool)).toBe(0);
  });

  it('lets an expired hold through: it releases it instead of blocking', async () => {
    const stale = await engineBare.hold({ tenantId: tb.tenant.id, serviceId: tb.consult.id, start: at('2026-12-04 15:00'), resourceId: tb.chen.id, sessionId: 'g5', ttlSeconds: 30 });
    clock.advance(30_000);
    try {
      await engineBare.hold({ tenantId: tb.tenant.id, serviceId: tb.consult.id, start: at('2026-12-04 15:00'), resourceId: tb.chen.id, sessionId: 'g6' });
    } finally {
      clock.set(testNow);
    }
    expect(await countRows(bare.pool, 'holds', `id = '${stale.id}' AND status = 'expired'`)).toBe(1);
    expect(await overlappingClaims(bare.pool)).toBe(0);
  });
});
