// Hold and confirm each send their write as one statement outside any transaction (migrations 0011
// and 0012): the statement enters the tenant itself. These tests pin what that must never change:
// Row-Level Security still scopes what the statement sees, and nothing it set outlives it on the
// pooled connection the next request gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, client, createBookingTenant, testNow, type BookingTenant } from '../../test/fixtures.js';
import { runWithCorrelationId } from '../db/correlation.js';
import { withTransaction } from '../db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../engine/engine.js';
import { createTestDatabase, ManualClock, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
let engine: BookingEngine;
let ours: BookingTenant;
let theirs: BookingTenant;

beforeAll(async () => {
  // One connection, so the statement after a hold runs on the very connection the hold used.
  db = await createTestDatabase({ max: 1 });
  engine = createBookingEngine({ pool: db.pool, clock: new ManualClock(testNow) });
  ours = await createBookingTenant(db.pool, 'one-statement-ours');
  theirs = await createBookingTenant(db.pool, 'one-statement-theirs');
});
afterAll(async () => {
  await db.drop();
});

async function connectionSettings(): Promise<{ role: string; tenant: string; correlation: string }> {
  const { rows } = await db.pool.query<{ role: string; tenant: string; correlation: string }>(
    `SELECT current_user AS role, coalesce(current_setting('app.tenant_id', true), '') AS tenant,
            coalesce(current_setting('gomomo.correlation_id', true), '') AS correlation`,
  );
  return rows[0]!;
}

describe('hold and confirm as one statement each', () => {
  it('leave the pooled connection with no tenant, role or correlation id of theirs', async () => {
    const before = await connectionSettings();
    await runWithCorrelationId('corr-one-statement-1', async () => {
      const hold = await engine.hold({ tenantId: ours.tenant.id, serviceId: ours.consult.id, start: at('2026-12-02 10:00'), resourceId: ours.chen.id, sessionId: 'one-statement' });
      await engine.confirm({ tenantId: ours.tenant.id, holdId: hold.id, sessionId: 'one-statement', client });
    });
    expect(await connectionSettings()).toEqual({ role: before.role, tenant: '', correlation: '' });
    const { rows } = await db.pool.query<{ type: string; correlation_id: string }>(
      `SELECT type, correlation_id FROM domain_events WHERE tenant_id = $1 AND session_id = 'one-statement' ORDER BY id`,
      [ours.tenant.id],
    );
    expect(rows).toEqual([
      { type: 'hold.created', correlation_id: 'corr-one-statement-1' },
      { type: 'booking.created', correlation_id: 'corr-one-statement-1' },
    ]);
  });

  it('enter the tenant as the app role, so Row-Level Security hides every other tenant', async () => {
    await engine.hold({ tenantId: theirs.tenant.id, serviceId: theirs.consult.id, start: at('2026-12-02 11:00'), resourceId: theirs.chen.id, sessionId: 'theirs-1' });
    const seen = await withTransaction(db.pool, async (c) => {
      await c.query('SELECT gomomo_enter_tenant($1, NULL)', [ours.tenant.id]);
      const { rows } = await c.query<{ role: string; tenants: string[] }>('SELECT current_user AS role, array_agg(DISTINCT tenant_id::text) AS tenants FROM holds');
      return rows[0]!;
    }, { isolation: 'read committed' });
    expect(seen).toEqual({ role: 'gomomo_app', tenants: [ours.tenant.id] });
  });

  it("check the day's overrides in Postgres: a closed day refuses, a resource's short day sends the hold to the other", async () => {
    await db.pool.query(
      `INSERT INTO date_overrides (tenant_id, resource_id, on_date, opens_at, closes_at, reason)
       VALUES ($1, NULL, '2026-12-10', NULL, NULL, 'closed'), ($1, $2, '2026-12-11', '09:00', '12:00', 'short day')`,
      [ours.tenant.id, ours.chen.id],
    );
    const holdAt = (start: string, extra: { resourceId?: string } = {}) =>
      engine.hold({ tenantId: ours.tenant.id, serviceId: ours.consult.id, start: at(start), sessionId: 'overrides', ...extra });
    await expect(holdAt('2026-12-10 10:00')).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE', message: expect.stringContaining('outside opening hours') });
    await expect(holdAt('2026-12-11 13:00', { resourceId: ours.chen.id })).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(holdAt('2026-12-11 09:00', { resourceId: ours.chen.id })).resolves.toMatchObject({ resourceId: ours.chen.id });
    await expect(holdAt('2026-12-11 13:00')).resolves.toMatchObject({ resourceId: ours.rivera.id });
  });
});
