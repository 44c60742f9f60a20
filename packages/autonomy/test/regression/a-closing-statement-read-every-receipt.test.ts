// Issue 15, a sibling it did not list: the statement that closes the autonomy worker's transaction
// set the outcome of each event it handled by joining the receipts to a JSON recordset. Postgres
// guesses 100 rows for a recordset, so with a few thousand receipts kept it planned a hash join
// over a scan of every receipt ever written: each transaction read them all, and the more events a
// tenant had, the more every new one cost. The outcomes are now set by primary key.
import { createPool, type Pool } from '@gomomo/core';
import { createTestDatabase, tableRowsRead, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../../src/queue/install.js';
import { book, latestEventId, makeHarness, makeTenant } from '../helpers.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

/** Ends `pool` and waits until its backends are gone: a backend's statistics reach the server when it exits. */
async function endAndFlush(pool: Pool, applicationName: string): Promise<void> {
  await pool.end();
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the backends of ${applicationName} did not exit`);
}

describe('the statement that closes a worker transaction', () => {
  it('sets its events’ receipts by primary key, however many receipts are kept', async () => {
    const tenant = await makeTenant(db.pool);
    // Three thousand events handled before, each with its receipt (hold.created: no job of its own).
    await db.pool.query(`INSERT INTO domain_events (tenant_id, type, payload, occurred_at) SELECT $1, 'hold.created', '{}', now() FROM generate_series(1, 3000)`, [tenant.id]);
    await db.pool.query(`INSERT INTO autonomy_event_receipts (event_id, tenant_id, outcome) SELECT id, tenant_id, 'nothing to do' FROM domain_events WHERE tenant_id = $1`, [tenant.id]);
    await db.pool.query('ANALYZE autonomy_event_receipts');

    const applicationName = 'receipts-read';
    const pool = createPool(db.url, { max: 2, applicationName });
    const h = makeHarness(pool);
    await book(h.engine, tenant, { name: 'Ana López', email: 'ana@example.com' });
    const eventId = await latestEventId(db.pool, tenant.id, 'booking.created');

    const before = await tableRowsRead(db.pool, 'autonomy_event_receipts');
    await h.tasks.domain_event!({ id: eventId, tenantId: tenant.id }, {} as never);
    await endAndFlush(pool, applicationName);
    const read = (await tableRowsRead(db.pool, 'autonomy_event_receipts')) - before;

    // The claim finds no receipt for the event and the closing statement updates the one it wrote:
    // a handful of rows. Joined to the recordset, the closing statement alone read all 3,001.
    expect(read).toBeLessThanOrEqual(5);
    const { rows: receipt } = await db.pool.query<{ outcome: string }>('SELECT outcome FROM autonomy_event_receipts WHERE event_id = $1', [eventId]);
    expect(receipt[0]?.outcome).toMatch(/^done/);
  });
});
