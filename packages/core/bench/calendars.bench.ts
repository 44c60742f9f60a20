// Calendars benchmark (issue 18): availability p99 for a tenant with 10 connected calendars, their
// busy time cached in `external_busy` (what a sync writes), next to the same tenant database-only,
// in the same run. Prints ONE JSON object. Starts its own embedded Postgres unless
// BENCH_DATABASE_URL is set; works in a fresh database that it drops at the end.
import { DateTime } from 'luxon';
import { createBusyIndex } from '../src/availability/busy-index.js';
import type { AvailabilityQuery } from '../src/availability/types.js';
import type { Pool } from '../src/db/pool.js';
import { withTenant } from '../src/db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../src/engine/engine.js';
import { replaceExternalBusy } from '../src/external-busy/store.js';
import { createTenant, readResources, readServices } from '../src/tenants/tenants.js';
import { ManualClock } from '../src/testing/clock.js';
import { openScratchDatabase } from '../src/testing/scratch-database.js';

const zone = 'America/New_York';
const now = '2027-01-04T05:00:00.000Z'; // Monday 00:00 in New York
const calendars = 10;
const eventsPerCalendar = 120;
const runs = 300;

const round = (n: number) => Math.round(n * 100) / 100;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

async function measure(engine: BookingEngine, query: AvailabilityQuery): Promise<{ p50: number; p99: number; slots: number }> {
  const warm = await engine.getAvailability(query);
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await engine.getAvailability(query);
    latencies.push(performance.now() - t0);
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), slots: warm.slots.length };
}

async function seed(pool: Pool) {
  const tenant = await createTenant(pool, {
    name: 'Bench calendars',
    slug: 'bench-calendars',
    timeZone: zone,
    minNoticeMinutes: 0,
    lookaheadDays: 14,
    slotIntervalMinutes: 15,
    resources: Array.from({ length: calendars }, (_, i) => ({ name: `Resource ${String(i).padStart(2, '0')}` })),
    services: [{ name: 'Visit', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '20:00' })),
  });
  const { services, resources } = await withTenant(pool, tenant.id, async (c) => ({ services: await readServices(c, tenant.id), resources: await readResources(c, tenant.id) }));
  const service = services[0]!;
  // 2,000 booked appointments over the 14 days and 10 resources, as in bench:booking.
  await pool.query(
    `WITH picked AS (
       SELECT r.id AS resource_id, ((date '2027-01-04' + d) + time '08:00' + i * interval '30 minutes') AT TIME ZONE $3 AS starts_at
         FROM unnest($2::uuid[]) WITH ORDINALITY AS r (id, ord), generate_series(0, 13) AS d, generate_series(0, 23) AS i
        WHERE (r.ord * 7 + d * 3 + i) % 5 < 3
        LIMIT 2000
     ), c AS (
       INSERT INTO claims (tenant_id, resource_id, during)
       SELECT $1, resource_id, tstzrange(starts_at, starts_at + interval '30 minutes') FROM picked
       RETURNING id, resource_id, lower(during) AS starts_at
     )
     INSERT INTO appointments (tenant_id, reference, claim_id, service_id, resource_id, starts_at, ends_at, client_name, client_email)
     SELECT $1, 'GM-' || upper(lpad(to_hex(row_number() OVER ()), 5, '0')), c.id, $4, c.resource_id, c.starts_at, c.starts_at + interval '30 minutes', 'Bench', 'b@example.com' FROM c`,
    [tenant.id, resources.map((r) => r.id), zone, service.id],
  );
  return { tenant, service, resources };
}

/** One connected calendar per resource, each with `eventsPerCalendar` events over the two weeks (some overlapping appointments). */
async function connectCalendars(pool: Pool, tenantId: string, resourceIds: string[]): Promise<number> {
  let blocks = 0;
  for (const [n, resourceId] of resourceIds.entries()) {
    const events = Array.from({ length: eventsPerCalendar }, (_, i) => {
      const start = DateTime.fromISO(now, { zone }).plus({ days: i % 14, hours: 8 + ((i * 7 + n) % 12), minutes: (i % 4) * 15 });
      return { externalId: `evt-${n}-${i}`, start: start.toJSDate(), end: start.plus({ minutes: 20 + (i % 3) * 20 }).toJSDate() };
    });
    await withTenant(pool, tenantId, (c) => replaceExternalBusy(c, { tenantId, resourceId, source: `google:bench-${n}` }, events));
    blocks += events.length;
  }
  await pool.query('ANALYZE');
  return blocks;
}

async function main(): Promise<void> {
  const started = performance.now();
  const db = await openScratchDatabase({ poolSize: 10 });
  try {
    const clock = new ManualClock(now);
    const { tenant, service, resources } = await seed(db.pool);
    await db.pool.query('ANALYZE');
    const query = { tenantId: tenant.id, serviceId: service.id, from: '2027-01-04', to: '2027-01-17' };
    const sql = createBookingEngine({ pool: db.pool, clock });
    const memory = createBookingEngine({ pool: db.pool, clock, busyIndex: createBusyIndex({ pool: db.pool }) });
    const databaseOnly = { sql: await measure(sql, query), memory: await measure(memory, query) };
    const blocks = await connectCalendars(db.pool, tenant.id, resources.map((r) => r.id));
    const connected = { sql: await measure(sql, query), memory: await measure(memory, query) };
    console.log(
      JSON.stringify({
        scenario: `14 days, ${resources.length} resources, 2000 appointments; ${calendars} connected calendars with ${blocks} cached busy blocks; ${runs} queries each`,
        availability_p99_ms_database_only: databaseOnly.sql.p99,
        availability_p99_ms_10_calendars: connected.sql.p99,
        ratio_p99_10_calendars_vs_database_only: round(connected.sql.p99 / databaseOnly.sql.p99),
        availability_p50_ms_database_only: databaseOnly.sql.p50,
        availability_p50_ms_10_calendars: connected.sql.p50,
        from_memory_p99_ms_database_only: databaseOnly.memory.p99,
        from_memory_p99_ms_10_calendars: connected.memory.p99,
        ratio_p99_from_memory: round(connected.memory.p99 / databaseOnly.memory.p99),
        slots_database_only: databaseOnly.sql.slots,
        slots_10_calendars: connected.sql.slots,
        postgres: db.isExternal ? 'BENCH_DATABASE_URL' : 'embedded (fsync off)',
        elapsed_s: round((performance.now() - started) / 1000),
      }),
    );
  } finally {
    await db.close();
  }
}

await main();
