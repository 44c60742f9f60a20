// Booking engine benchmark: prints ONE JSON object. Starts its own embedded Postgres in a temp
// folder (throwaway settings, like the test harness) unless BENCH_DATABASE_URL is set; either way
// it works in a fresh database that it drops at the end.
//
// confirm_per_s is confirm only (holds are created beforehand, on distinct slots); hold latency is
// measured while creating them at concurrency 8. bare_insert_per_s runs single-row INSERT
// transactions through the same pool, the same withTenant path (role + tenant) and the same
// isolation as confirm (READ COMMITTED), at the same concurrency (8).
//
// Also (issue 15): holds at c=8 on ONE resource with the retries they needed; hold+confirm
// bookings/s at c=8 on one and on ten resources with the error rate; availability of 14 days at
// 200 / 2,000 / 20,000 appointments on one resource and the ratio 20,000 : 200; and, last, with
// graphile-worker's schema installed so every event also enqueues a job, confirm at c=8/32/128 with
// the legacy two notifications per transaction, today's one, and none, and ratio_vs_bare_insert
// with the enqueue on — by rate, and by CPU per operation (this process and the Postgres cluster),
// which waiting for a core on a shared machine does not move.
// On a shared machine the figures are noisy: compare the ratios within one run.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';
import { createPool, type Pool } from '../src/db/pool.js';
import { withTenant } from '../src/db/transaction.js';
import { createBookingEngine, type BookingEngine } from '../src/engine/engine.js';
import { createTenant, readResources, readServices } from '../src/tenants/tenants.js';
import { ManualClock } from '../src/testing/clock.js';
import { openScratchDatabase } from '../src/testing/scratch-database.js';
import { postgresCpuMs, postmasterPidOf } from '../src/testing/cpu.js';
import type { Hold } from '../src/bookings/types.js';
import type { AvailabilityQuery } from '../src/availability/types.js';
import { createBusyIndex } from '../src/availability/busy-index.js';

const zone = 'America/New_York';
const now = '2027-01-04T05:00:00.000Z'; // Monday 00:00 in New York
const everyDay = [1, 2, 3, 4, 5, 6, 7];
/** As apps/api runs the engine: a hold takes tenant and service from the catalog cache, not two reads. */
const catalogCacheMs = 1000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}
const round = (n: number) => Math.round(n * 100) / 100;

/** Runs `tasks` with `concurrency` workers; returns per-task latencies (ms) and the overall rate. */
async function runConcurrently<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<{ perSecond: number; latencies: number[]; results: T[] }> {
  const latencies: number[] = [];
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++]!;
        const t0 = performance.now();
        results.push(await task());
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { perSecond: round(tasks.length / ((performance.now() - started) / 1000)), latencies, results };
}

async function createBenchTenant(pool: Pool, input: { slug: string; resources: number; hours: { opens: string; closes: string }; durationMinutes: number; lookaheadDays: number }) {
  const tenant = await createTenant(pool, {
    name: input.slug,
    slug: input.slug,
    timeZone: zone,
    minNoticeMinutes: 0,
    lookaheadDays: input.lookaheadDays,
    slotIntervalMinutes: 15,
    holdTtlSeconds: 3600,
    resources: Array.from({ length: input.resources }, (_, i) => ({ name: `Resource ${String(i).padStart(2, '0')}` })),
    services: [{ name: 'Visit', durationMinutes: input.durationMinutes }],
    hours: everyDay.map((weekday) => ({ weekday, ...input.hours })),
  });
  const { services, resources } = await withTenant(pool, tenant.id, async (c) => ({ services: await readServices(c, tenant.id), resources: await readResources(c, tenant.id) }));
  return { tenant, service: services[0]!, resources };
}

/** Distinct 15-minute slots, resource by resource, day by day, from Monday 00:00. */
function* distinctSlots(resourceIds: string[]): Generator<{ start: string; resourceId: string }> {
  for (let day = 0; ; day++) {
    for (let quarter = 0; quarter < 95; quarter++) {
      const start = DateTime.fromISO(now, { zone }).plus({ days: day, minutes: quarter * 15 }).toISO()!;
      for (const resourceId of resourceIds) yield { start, resourceId };
    }
  }
}

async function benchConfirm(engine: BookingEngine, pool: Pool) {
  const { tenant, service, resources } = await createBenchTenant(pool, { slug: 'bench-confirm', resources: 10, hours: { opens: '00:00', closes: '23:59' }, durationMinutes: 15, lookaheadDays: 60 });
  const slots = distinctSlots(resources.map((r) => r.id));
  const counts = { 1: 300, 8: 1200, 32: 1200 } as const;
  const holdFor = (i: number) => () => {
    const slot = slots.next().value!;
    return engine.hold({ tenantId: tenant.id, serviceId: service.id, start: slot.start, resourceId: slot.resourceId, sessionId: `bench-${i}` });
  };
  const confirm_per_s: Record<string, number> = {};
  // Rolled-back attempts during each confirm run (40001/40P01 retried by withTenant), counted
  // exactly: withTenant checks out one connection per attempt. (pg_stat_database.xact_rollback
  // was used before, but backends report it up to seconds late, so it showed the *hold* phase's
  // serialization retries under confirm.)
  const confirm_rollbacks: Record<string, number> = {};
  let checkouts = 0;
  pool.on('acquire', () => checkouts++);
  let holdStats: { perSecond: number; latencies: number[] } | undefined;
  let confirmLatencies: number[] = [];
  for (const concurrency of [1, 8, 32] as const) {
    const made = await runConcurrently(Array.from({ length: counts[concurrency] }, (_, i) => holdFor(i)), 8);
    if (concurrency === 8) holdStats = made;
    const confirms = made.results.map((hold: Hold) => () => engine.confirm({ tenantId: tenant.id, holdId: hold.id, sessionId: hold.sessionId, client: { name: 'Bench', email: 'bench@example.com' } }));
    const checkoutsBefore = checkouts;
    const run = await runConcurrently(confirms, concurrency);
    confirm_rollbacks[String(concurrency)] = checkouts - checkoutsBefore - confirms.length;
    confirm_per_s[String(concurrency)] = run.perSecond;
    if (concurrency === 8) confirmLatencies = run.latencies;
  }
  return { confirm_per_s, confirm_rollbacks, holdStats: holdStats!, confirmLatencies, tenantId: tenant.id };
}

async function benchBareInsert(pool: Pool, tenantId: string): Promise<number> {
  await pool.query('CREATE TABLE bench_bare (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id uuid NOT NULL, note text NOT NULL)');
  await pool.query('GRANT SELECT, INSERT ON bench_bare TO gomomo_app; GRANT USAGE ON SEQUENCE bench_bare_id_seq TO gomomo_app');
  return bareInsertsPerSecond(pool, tenantId);
}

const bareInsertsPerRun = 3000;

/** 3,000 single-row INSERT transactions into `bench_bare` at concurrency 8, through withTenant at READ COMMITTED. */
async function bareInsertsPerSecond(pool: Pool, tenantId: string): Promise<number> {
  const insert = (i: number) => () =>
    withTenant(pool, tenantId, (c) => c.query('INSERT INTO bench_bare (tenant_id, note) VALUES ($1, $2)', [tenantId, `row ${i}`]), { isolation: 'read committed' });
  const tasks = Array.from({ length: bareInsertsPerRun }, (_, i) => insert(i));
  return (await runConcurrently(tasks, 8)).perSecond;
}

async function benchContention(url: string, engine: BookingEngine, pool: Pool, clients: number) {
  const { tenant, service, resources } = await createBenchTenant(pool, { slug: 'bench-race', resources: 1, hours: { opens: '00:00', closes: '23:59' }, durationMinutes: 30, lookaheadDays: 14 });
  const racePool = createPool(url, { max: clients });
  const raceEngine = createBookingEngine({ pool: racePool, clock: engine.clock, catalogCacheMs });
  await Promise.all(Array.from({ length: clients }, () => racePool.connect())).then((cs) => cs.forEach((c) => c.release()));
  const start = DateTime.fromISO(now, { zone }).plus({ days: 1, hours: 10 }).toISO()!;
  const settled = await Promise.allSettled(
    Array.from({ length: clients }, (_, i) => raceEngine.hold({ tenantId: tenant.id, serviceId: service.id, start, resourceId: resources[0]!.id, sessionId: `race-${i}` })),
  );
  await racePool.end();
  return { clients, winners: settled.filter((s) => s.status === 'fulfilled').length };
}

async function benchAvailability(engine: BookingEngine, pool: Pool) {
  const { tenant, service, resources } = await createBenchTenant(pool, { slug: 'bench-avail', resources: 10, hours: { opens: '08:00', closes: '20:00' }, durationMinutes: 30, lookaheadDays: 14 });
  // 2,000 booked appointments spread over the 14 days and 10 resources, written in one statement.
  await pool.query(
    `WITH picked AS (
       SELECT r.ord, r.id AS resource_id, ((date '2027-01-04' + d) + time '08:00' + i * interval '30 minutes') AT TIME ZONE $3 AS starts_at
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
  await pool.query('ANALYZE');
  const query = { tenantId: tenant.id, serviceId: service.id, from: '2027-01-04', to: '2027-01-17' };
  await engine.getAvailability(query); // warm-up
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await engine.getAvailability(query);
    latencies.push(performance.now() - t0);
  }
  const fromMemory = createBookingEngine({ pool, clock: engine.clock, busyIndex: createBusyIndex({ pool }) });
  return { availability_p50_ms: percentile(latencies, 50), availability_p99_ms: percentile(latencies, 99), availability_from_memory_p50_ms: await availabilityP50(fromMemory, query) };
}

/**
 * Installs graphile-worker's schema, so the enqueue trigger (migration 0050) adds a job per event
 * as in production. Core does not depend on graphile-worker (it lives with @gomomo/autonomy), so
 * the bench loads it from there; false when it cannot be found.
 */
async function installJobQueue(pool: Pool): Promise<boolean> {
  try {
    const require = createRequire(new URL('../../autonomy/package.json', import.meta.url));
    const worker = (await import(pathToFileURL(require.resolve('graphile-worker')).href)) as { runMigrations(options: { pgPool: Pool }): Promise<void> };
    await worker.runMigrations({ pgPool: pool });
    return true;
  } catch {
    return false;
  }
}

/**
 * Issue 15, item 5: confirm throughput with the job enqueue ON, at concurrency 8/32/128, in three
 * settings alternated per concurrency in the same run (so drift hits all alike):
 * - `legacy`: what a booking transaction sent before migrations 0008/0054/0067 — core's per-event
 *   NOTIFY and graphile-worker's 'jobs:insert' from add_job — emulated by a trigger sending both;
 * - `on`: today's one notification per transaction (the deferred `domain_events_notify_once`);
 * - `off`: no notification at all (that trigger disabled), the ceiling.
 */
async function benchNotifications(url: string, clock: ManualClock) {
  // As many confirms per round as the confirm-only figure above makes at c=8. Rounds of 400 lasted
  // about a tenth of a second here, so one stall of the machine (an autovacuum, a neighbour) moved a
  // round's rate by a third. On a shared machine the rate ratio still moves between runs; the ratio
  // by CPU below moves far less.
  const confirmsPerRound = 1200;
  const pool = createPool(url, { max: 132 });
  const engine = createBookingEngine({ pool, clock, catalogCacheMs });
  try {
    const { tenant, service, resources } = await createBenchTenant(pool, { slug: 'bench-notify', resources: 10, hours: { opens: '00:00', closes: '23:59' }, durationMinutes: 15, lookaheadDays: 60 });
    await pool.query(`CREATE FUNCTION bench_legacy_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN
                        PERFORM pg_notify('gomomo_events', NEW.tenant_id::text || ':' || NEW.id::text);
                        PERFORM pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}');
                        RETURN NULL;
                      END $$;
                      CREATE TRIGGER bench_legacy_notify AFTER INSERT ON domain_events FOR EACH ROW EXECUTE FUNCTION bench_legacy_notify();
                      ALTER TABLE domain_events DISABLE TRIGGER bench_legacy_notify`);
    const slots = distinctSlots(resources.map((r) => r.id));
    // CPU per operation (this process and the whole Postgres cluster), beside each rate: waiting for
    // a core, which moves a rate on a shared machine, is not counted. NaN on a server elsewhere.
    const postmaster = await postmasterPidOf(pool);
    const cpuMsNow = async () => {
      const own = process.cpuUsage();
      return (own.user + own.system) / 1000 + (postmaster === undefined ? Number.NaN : await postgresCpuMs(postmaster));
    };
    const withCpu = async (run: () => Promise<{ perSecond: number }>, operations: number) => {
      const before = await cpuMsNow();
      const { perSecond } = await run();
      return { perSecond, cpuUs: ((await cpuMsNow()) - before) * (1000 / operations) };
    };
    const confirmsPerSecond = async (concurrency: number) => {
      const holds = await runConcurrently(
        Array.from({ length: confirmsPerRound }, (_, i) => () => {
          const slot = slots.next().value!;
          return engine.hold({ tenantId: tenant.id, serviceId: service.id, start: slot.start, resourceId: slot.resourceId, sessionId: `notify-${concurrency}-${i}` });
        }),
        8,
      );
      const confirms = holds.results.map((hold) => () => engine.confirm({ tenantId: tenant.id, holdId: hold.id, sessionId: hold.sessionId, client: { name: 'Bench', email: 'bench@example.com' } }));
      return withCpu(() => runConcurrently(confirms, concurrency), confirms.length);
    };
    const legacy: Record<string, number> = {};
    const on: Record<string, number> = {};
    const off: Record<string, number> = {};
    // Three rounds of legacy → on → off per concurrency, the median kept: one round lasts about a
    // third of a second, shorter than the load swings of a shared machine. At c=8 each round also
    // runs the bare insert, so the ratio compares medians taken side by side, not one bare run.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const bareRounds: number[] = [];
    const bareCpuUs: number[] = [];
    const onCpuUs: number[] = [];
    for (const concurrency of [8, 32, 128]) {
      const rounds = { legacy: [] as number[], on: [] as number[], off: [] as number[] };
      for (let round = 0; round < 3; round++) {
        if (concurrency === 8) {
          const bareRound = await withCpu(async () => ({ perSecond: await bareInsertsPerSecond(pool, tenant.id) }), bareInsertsPerRun);
          bareRounds.push(bareRound.perSecond);
          bareCpuUs.push(bareRound.cpuUs);
        }
        await pool.query('ALTER TABLE domain_events DISABLE TRIGGER domain_events_notify_once; ALTER TABLE domain_events ENABLE TRIGGER bench_legacy_notify');
        rounds.legacy.push((await confirmsPerSecond(concurrency)).perSecond);
        await pool.query('ALTER TABLE domain_events DISABLE TRIGGER bench_legacy_notify; ALTER TABLE domain_events ENABLE TRIGGER domain_events_notify_once');
        const onRound = await confirmsPerSecond(concurrency);
        rounds.on.push(onRound.perSecond);
        if (concurrency === 8) onCpuUs.push(onRound.cpuUs);
        await pool.query('ALTER TABLE domain_events DISABLE TRIGGER domain_events_notify_once');
        rounds.off.push((await confirmsPerSecond(concurrency)).perSecond);
        await pool.query('ALTER TABLE domain_events ENABLE TRIGGER domain_events_notify_once');
      }
      legacy[String(concurrency)] = median(rounds.legacy);
      on[String(concurrency)] = median(rounds.on);
      off[String(concurrency)] = median(rounds.off);
    }
    const ratio = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, round(a[k]! / b[k]!)]));
    const bare = median(bareRounds);
    return {
      confirm_per_s_enqueue_on_notify_legacy_two_per_transaction: legacy,
      confirm_per_s_enqueue_on_event_notify_on: on,
      confirm_per_s_enqueue_on_event_notify_off: off,
      bare_insert_per_s_enqueue_phase: bare,
      // The headline ratio: confirm with the enqueue on against the bare insert measured beside it,
      // round by round. (It once divided by the bare insert of the first phase, minutes earlier:
      // the same code gave 0.24 in one run and 0.55 in another.)
      ratio_vs_bare_insert_enqueue_on: round(on['8']! / bare),
      // The same comparison by CPU (a bare insert's CPU ÷ a confirm's, at c=8), which waiting for a core does not move.
      cpu_us_per_bare_insert: Math.round(median(bareCpuUs)),
      cpu_us_per_confirm_enqueue_on: Math.round(median(onCpuUs)),
      ratio_vs_bare_insert_enqueue_on_by_cpu: round(median(bareCpuUs) / median(onCpuUs)),
      notify_one_vs_legacy: ratio(on, legacy),
      notify_one_vs_off: ratio(on, off),
    };
  } finally {
    await pool.end();
  }
}

/**
 * Hold+confirm at concurrency 8, each booking on its own slot, on ONE resource (every hold queues on
 * the resource's lock) and on ten: bookings per second and every answer that was not a booking
 * (issue 15 saw 12% HTTP 503 BUSY on one resource). Retries are transaction attempts beyond one
 * per operation (40001/40P01 re-runs).
 */
async function benchHoldConfirm(engine: BookingEngine, pool: Pool, resourceCount: number) {
  const { tenant, service, resources } = await createBenchTenant(pool, { slug: `bench-book-${resourceCount}`, resources: resourceCount, hours: { opens: '00:00', closes: '23:59' }, durationMinutes: 15, lookaheadDays: 60 });
  const slots = distinctSlots(resources.map((r) => r.id));
  let checkouts = 0;
  const count = () => checkouts++;
  pool.on('acquire', count);
  const tasks = Array.from({ length: 600 }, (_, i) => async () => {
    const slot = slots.next().value!;
    const sessionId = `book-${resourceCount}-${i}`;
    try {
      const hold = await engine.hold({ tenantId: tenant.id, serviceId: service.id, start: slot.start, resourceId: slot.resourceId, sessionId });
      await engine.confirm({ tenantId: tenant.id, holdId: hold.id, sessionId, client: { name: 'Bench', email: 'bench@example.com' } });
      return 'booked';
    } catch (error) {
      return (error as { code?: string }).code ?? 'error';
    }
  });
  const run = await runConcurrently(tasks, 8);
  pool.off('acquire', count);
  const outcomes: Record<string, number> = {};
  for (const outcome of run.results) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  return { bookings_per_s: run.perSecond, p99_ms: percentile(run.latencies, 99), error_rate: round(1 - (outcomes['booked'] ?? 0) / tasks.length), retries: checkouts - 2 * tasks.length, outcomes };
}

/** Holds at concurrency 8 on ONE resource, distinct slots: the case that answered BUSY (issue 15). */
async function benchHoldOneResource(engine: BookingEngine, pool: Pool) {
  const { tenant, service, resources } = await createBenchTenant(pool, { slug: 'bench-one', resources: 1, hours: { opens: '00:00', closes: '23:59' }, durationMinutes: 15, lookaheadDays: 60 });
  const slots = distinctSlots([resources[0]!.id]);
  let checkouts = 0;
  const count = () => checkouts++;
  pool.on('acquire', count);
  const tasks = Array.from({ length: 600 }, (_, i) => () => {
    const slot = slots.next().value!;
    return engine.hold({ tenantId: tenant.id, serviceId: service.id, start: slot.start, resourceId: slot.resourceId, sessionId: `one-${i}` }).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'error',
    );
  });
  const run = await runConcurrently(tasks, 8);
  pool.off('acquire', count);
  const outcomes: Record<string, number> = {};
  for (const outcome of run.results) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  return { hold_per_s_at_8_one_resource: run.perSecond, hold_one_resource_p99_ms: percentile(run.latencies, 99), hold_one_resource_retries: checkouts - tasks.length, hold_one_resource_outcomes: outcomes };
}

/** p50 of 100 sequential availability queries (c=1), after one warm-up (which loads an index). */
async function availabilityP50(engine: BookingEngine, query: AvailabilityQuery): Promise<number> {
  await engine.getAvailability(query);
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await engine.getAvailability(query);
    latencies.push(performance.now() - t0);
  }
  return percentile(latencies, 50);
}

/**
 * Availability cost as appointments accumulate (issue 15: 200 / 2,000 / 20,000 on one resource,
 * c=1 p50). Appointments fill the 14 queried days first (24 a day, 08:00–20:00) and then the
 * days before them, as a calendar with history does; the query always asks for the same 14 days.
 */
async function benchAvailabilityScaling(engine: BookingEngine, pool: Pool) {
  const p50: Record<string, number> = {};
  const memoryP50: Record<string, number> = {};
  const fromMemory = createBookingEngine({ pool, clock: engine.clock, busyIndex: createBusyIndex({ pool }) });
  for (const count of [200, 2000, 20_000]) {
    const { tenant, service, resources } = await createBenchTenant(pool, { slug: `bench-scale-${count}`, resources: 1, hours: { opens: '08:00', closes: '20:00' }, durationMinutes: 30, lookaheadDays: 14 });
    await pool.query(
      `WITH picked AS (
         SELECT ((date '2027-01-17' - (n / 24)) + time '08:00' + (n % 24) * interval '30 minutes') AT TIME ZONE $3 AS starts_at
           FROM generate_series(0, $4::int - 1) AS n
       ), c AS (
         INSERT INTO claims (tenant_id, resource_id, during)
         SELECT $1, $2, tstzrange(starts_at, starts_at + interval '30 minutes') FROM picked
         RETURNING id, lower(during) AS starts_at
       )
       INSERT INTO appointments (tenant_id, reference, claim_id, service_id, resource_id, starts_at, ends_at, client_name, client_email)
       SELECT $1, 'GM-' || upper(lpad(to_hex(row_number() OVER ()), 5, '0')), c.id, $5, $2, c.starts_at, c.starts_at + interval '30 minutes', 'Bench', 'b@example.com' FROM c`,
      [tenant.id, resources[0]!.id, zone, count, service.id],
    );
    await pool.query('ANALYZE');
    const query = { tenantId: tenant.id, serviceId: service.id, from: '2027-01-04', to: '2027-01-17' };
    // Measured twice, the second kept: the first tenant would otherwise also pay for JIT warm-up.
    await availabilityP50(engine, query);
    p50[String(count)] = await availabilityP50(engine, query);
    await availabilityP50(fromMemory, query);
    memoryP50[String(count)] = await availabilityP50(fromMemory, query);
  }
  return {
    availability_by_appointments_p50_ms: p50,
    ratio_20000_vs_200: round(p50['20000']! / p50['200']!),
    availability_from_memory_by_appointments_p50_ms: memoryP50,
    ratio_20000_vs_200_from_memory: round(memoryP50['20000']! / memoryP50['200']!),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const db = await openScratchDatabase({ poolSize: 40 });
  const { pool, url } = db;
  try {
    const clock = new ManualClock(now);
    const engine = createBookingEngine({ pool, clock, catalogCacheMs });
    const confirm = await benchConfirm(engine, pool);
    const bare = await benchBareInsert(pool, confirm.tenantId);
    const holdOne = await benchHoldOneResource(engine, pool);
    const bookOne = await benchHoldConfirm(engine, pool, 1);
    const bookTen = await benchHoldConfirm(engine, pool, 10);
    const contention = await benchContention(url, engine, pool, 100);
    let availability: Record<string, unknown>;
    try {
      availability = { ...(await benchAvailability(engine, pool)), ...(await benchAvailabilityScaling(engine, pool)) };
    } catch (error) {
      availability = { availability_p50_ms: 'n/a', availability_p99_ms: 'n/a', availability_error: String(error) };
    }
    // Last, because from here on every event also inserts a graphile-worker job.
    // The phases before wrote tens of thousands of rows; vacuumed now, autovacuum has none of their
    // work left to do while the CPU per confirm and per bare insert is counted below.
    await pool.query('VACUUM ANALYZE');
    const enqueue = (await installJobQueue(pool)) ? await benchNotifications(url, clock) : { enqueue: 'graphile-worker not found: skipped' };
    const result = {
      confirm_per_s: confirm.confirm_per_s,
      confirm_rollbacks: confirm.confirm_rollbacks,
      confirm_measures: 'confirm only, holds created beforehand on distinct slots (10 resources)',
      hold_per_s_at_8: confirm.holdStats.perSecond,
      hold_p50_ms: percentile(confirm.holdStats.latencies, 50),
      hold_p99_ms: percentile(confirm.holdStats.latencies, 99),
      ...holdOne,
      confirm_p50_ms: percentile(confirm.confirmLatencies, 50),
      confirm_p99_ms: percentile(confirm.confirmLatencies, 99),
      hold_confirm_at_8_one_resource: bookOne,
      hold_confirm_at_8_ten_resources: bookTen,
      contention,
      bare_insert_per_s: bare,
      ratio_vs_bare_insert: round(confirm.confirm_per_s['8']! / bare),
      event_triggers: 'above: one notification per transaction, graphile_worker not installed (no job enqueue); below: with the job enqueue',
      ...enqueue,
      ...availability,
      postgres: db.isExternal ? 'BENCH_DATABASE_URL' : 'embedded (fsync off)',
      elapsed_s: round((performance.now() - started) / 1000),
    };
    console.log(JSON.stringify(result));
  } finally {
    await db.close();
  }
}

await main();
