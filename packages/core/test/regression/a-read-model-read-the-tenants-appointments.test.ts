// Issue 15, a sibling it did not list: core's read models (`gomomo_appointment_view`,
// `gomomo_appointment_state`, migration 0102) find an appointment by tenant and id. The primary key
// and the unique (tenant_id, reference) index can both serve `tenant_id = … AND id = …`; a planner
// that has never seen appointments analysed costs them the same, and took the second: an index
// scan over the tenant's appointments, filtered by id. A connection keeps that plan until the table
// is analysed, so when a new install's tenant (or a benchmark's) took thousands of bookings within
// autovacuum's first minute, the autonomy worker's claim and the outbox sender's claim read every
// one of them per message. Migration 0105 leaves the primary key the only way in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createTestDatabase, tableRowsRead, type TestDatabase } from '../../src/testing/index.js';
import { createBookingTenant, type BookingTenant } from '../fixtures.js';

let db: TestDatabase;
// One connection, so the plans the reads use, and the statistics it flushes, are one backend's.
let one: Pool;
let clinic: BookingTenant;
beforeAll(async () => {
  db = await createTestDatabase();
  one = createPool(db.url, { max: 1 });
  clinic = await createBookingTenant(db.pool, 'read-model-by-key');
});
afterAll(async () => {
  await one?.end();
  await db?.drop();
});

/** `count` appointments of the clinic, half an hour apart on alternating resources, in one statement; their ids. */
async function seed(count: number, fromDay: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `WITH picked AS (
       SELECT i, CASE WHEN i % 2 = 0 THEN $2::uuid ELSE $3::uuid END AS resource_id,
              timestamptz '2027-01-01 00:00Z' + ($5::int + i / 2) * interval '30 minutes' AS starts_at
         FROM generate_series(0, $4::int - 1) AS i),
     c AS (
       INSERT INTO claims (tenant_id, resource_id, during)
       SELECT $1, resource_id, tstzrange(starts_at, starts_at + interval '30 minutes') FROM picked
       RETURNING id, resource_id, lower(during) AS starts_at)
     INSERT INTO appointments (tenant_id, reference, claim_id, service_id, resource_id, starts_at, ends_at, client_name, client_email)
     SELECT $1, 'GM-' || upper(lpad(to_hex($5::int + row_number() OVER ()), 5, '0')), c.id, $6, c.resource_id, c.starts_at, c.starts_at + interval '30 minutes', 'Seed', 'seed@example.com'
       FROM c
     RETURNING id`,
    [clinic.tenant.id, clinic.chen.id, clinic.rivera.id, count, fromDay * 48, clinic.consult.id],
  );
  return rows.map((row) => row.id);
}

describe('the appointment read models', () => {
  it('find an appointment by its primary key on a connection that planned them when the table was new', async () => {
    const { rows: analysed } = await db.pool.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = 'appointments'");
    expect(analysed[0]!.reltuples).toBe(-1);
    const read = (id: string) =>
      one.query({
        name: 'read-models',
        text: 'SELECT (SELECT count(*) FROM gomomo_appointment_view($1, $2)) AS view, (SELECT count(*) FROM gomomo_appointment_state($1, $2)) AS state',
        values: [clinic.tenant.id, id],
      });
    // The connection plans the reads while the clinic has a few appointments…
    const few = await seed(4, 0);
    for (let n = 0; n < 8; n++) await read(few[n % few.length]!);
    // …then it takes 3,000 more.
    const many = await seed(3000, 10);

    const before = await tableRowsRead(db.pool, 'appointments', one);
    const { rows } = await read(many.at(-1)!);
    const rowsRead = (await tableRowsRead(db.pool, 'appointments', one)) - before;

    expect(rows[0]).toEqual({ view: 1, state: 1 });
    // One row per read. Through the (tenant_id, reference) index each read was every appointment of the clinic.
    expect(rowsRead).toBeLessThanOrEqual(2);
    // Another tenant's id finds nothing.
    const { rows: other } = await one.query('SELECT count(*)::int AS n FROM gomomo_appointment_view(gen_random_uuid(), $1)', [many[0]]);
    expect(other[0]).toEqual({ n: 0 });
  });
});
