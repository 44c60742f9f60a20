// pnpm bench:api — one JSON object, in the realistic shape of issue 15: a tenant with 10 resources
// and 2,000 booked appointments over 14 days. Availability of the 14 days at 1 connection (p50) and
// at 50 (req/s, p99); hold+confirm bookings/s at 8 concurrent customers on one resource and on ten,
// with the error rate (a 503 BUSY counts); chat; a bare fastify route as the ceiling, and the ratios
// to it; idle resident memory, and with the tenant's busy index loaded. Availability is measured as
// the API ships (busy time from memory; `from_memory` repeats those figures under the key earlier
// runs used) and, in the same run, from a second API process with AVAILABILITY_FROM_MEMORY=false
// (`from_postgres`); the compact form (`availability.compact`) is measured at c=50, and the size of
// both forms at 10 and at 50 resources.
//
// Availability answers are cached as serialised bytes while exact (issue 15), so the measured load
// says how often it repeats: the main figures ask one query over and over (every request after the
// first hits); `availability_varied_*` cycles through 77 queries (7 start days × no filter or one of
// the 10 resources), `availability_gzip_*` asks as browsers do (Accept-Encoding: gzip), and
// `availability_with_bookings_*` asks while four customers book on the same tenant, so the index
// version — and with it the cached answer — changes several times a second. Each reports the
// share of answers sent from cached bytes (`*_cached_hit_ratio`, from the API's /metrics).
//
// The API runs as it does in production — the built `dist/main.js` under plain node, in its own
// process, on a throwaway embedded Postgres (or BENCH_DATABASE_URL) — and the load generator runs
// here, so the two don't share an event loop. The ceiling server is a child process too, measured
// by the same load generator in the same run. Needs `pnpm build` first (the root script does it).
// Figures from a shared machine are noisy: compare the ratios within one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { openScratchDatabase, postgresCpuMs, postmasterPidOf, processCpuMs } from '@gomomo/core/testing';
import type { Pool } from '@gomomo/core';

const connections = 50;
const duration = Number(process.env.BENCH_SECONDS ?? 5);
// Bookings at c=8 for this long before the booking runs, their figures shown but not the runs':
// the first seconds after start are the JIT compiling the booking's code (the API's, the worker's,
// and the load generator's own), which cost a cold run a third of its bookings/s here.
const warmUpSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const appDir = fileURLToPath(new URL('..', import.meta.url));
const mainJs = path.join(appDir, 'dist', 'main.js');
const adminSecret = 'bench-admin-secret-0123456789';
const metricsToken = 'bench-metrics-token-0123456789';
const zone = 'America/New_York';
const everyDay = [1, 2, 3, 4, 5, 6, 7];

function isoDate(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

/** Starts a node process and resolves with its first stdout line matching `ready`. */
function startProcess(args: string[], options: { env: Record<string, string>; ready: RegExp }): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { cwd: appDir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ready line within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => options.ready.test(l));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
}

/** Resident memory of a process, from the kernel (what `ps` calls RSS). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

/**
 * Load at `connections` for `duration` seconds. With `pid`, also the server's CPU time per request:
 * on a shared machine that moves far less than req/s, since it does not count time spent waiting
 * for a core (2 cores / CPU per request = the req/s a quiet machine could serve).
 */
async function load(options: { url: string; connections: number; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string; pid?: number; requests?: { path: string }[] }) {
  const { pid, ...request } = options;
  const cpuBefore = pid === undefined ? 0 : processCpuMs(pid);
  const result = await autocannon({ duration, ...request });
  const cpu = pid === undefined ? 0 : processCpuMs(pid) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, cpuMsPerRequest: Number((cpu / Math.max(1, result.requests.total)).toFixed(3)) };
}

const ceilingServer = `
  const app = (await import('fastify')).default();
  app.get('/', async () => ({ ok: true }));
  console.log('ceiling ready at ' + await app.listen({ port: 0, host: '127.0.0.1' }));
`;

interface BenchTenant {
  id: string;
  key: string;
  serviceId: string;
  resourceIds: string[];
}

/** Availability answers the API sent from cached bytes and serialised anew so far (its /metrics). */
async function availabilityAnswers(baseUrl: string): Promise<{ reused: number; serialized: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const count = (bytes: string) => Number(new RegExp(`^gomomo_availability_answers_total\\{bytes="${bytes}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { reused: count('reused'), serialized: count('serialized') };
}

/** `run` under load, with the share of availability answers it got from cached bytes. */
async function withHitRatio<T>(baseUrl: string, run: () => Promise<T>): Promise<T & { hitRatio: number }> {
  const before = await availabilityAnswers(baseUrl);
  const result = await run();
  const after = await availabilityAnswers(baseUrl);
  const reused = after.reused - before.reused;
  const total = reused + after.serialized - before.serialized;
  return { ...result, hitRatio: Number((reused / Math.max(1, total)).toFixed(4)) };
}

/**
 * Four customers holding and confirming slots of `tenant` from day 15 on — outside the 14 days
 * asked for, yet each booking moves the tenant's index version, so every cached answer of the
 * tenant is rebuilt. UTC 13:00–23:00 is inside 08:00–20:00 in New York in summer and winter.
 */
async function bookBeyondTheWindow(baseUrl: string, tenant: BenchTenant): Promise<number> {
  const headers = { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' };
  const post = async (procedure: string, input: unknown) => {
    const response = await fetch(`${baseUrl}/trpc/${procedure}`, { method: 'POST', headers, body: JSON.stringify(input) });
    if (!response.ok) throw new Error(`${procedure}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { result: { data: { id: string } } }).result.data;
  };
  const started = performance.now();
  let next = 0;
  let booked = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < started + duration * 1000) {
        const i = next++;
        const resourceId = tenant.resourceIds[i % tenant.resourceIds.length]!;
        const slot = Math.floor(i / tenant.resourceIds.length);
        const start = `${isoDate(15 + Math.floor(slot / 21))}T${String(13 + Math.floor((slot % 21) / 2)).padStart(2, '0')}:${slot % 2 === 0 ? '00' : '30'}:00Z`;
        const sessionId = `bench-churn-${i}`;
        const hold = await post('bookings.hold', { serviceId: tenant.serviceId, start, resourceId, sessionId });
        await post('bookings.confirm', { holdId: hold.id, sessionId, client: { name: 'Bench', email: 'bench@example.com' } });
        booked++;
      }
    }),
  );
  return Math.round(booked / ((performance.now() - started) / 1000));
}

/** Onboards a tenant through the admin API, as an operator would. */
async function onboard(baseUrl: string, pool: Pool, input: { slug: string; opens: string; closes: string; durationMinutes: number; lookaheadDays: number; resources?: number }): Promise<BenchTenant> {
  const body = {
    name: input.slug,
    slug: input.slug,
    timeZone: zone,
    minNoticeMinutes: 0,
    lookaheadDays: input.lookaheadDays,
    resources: Array.from({ length: input.resources ?? 10 }, (_, i) => ({ name: `Resource ${String(i).padStart(2, '0')}` })),
    services: [{ name: 'Visit', durationMinutes: input.durationMinutes }],
    hours: everyDay.map((weekday) => ({ weekday, opens: input.opens, closes: input.closes })),
    allowedOrigins: ['https://bench.example'],
  };
  const response = await fetch(`${baseUrl}/trpc/admin.createTenant`, { method: 'POST', headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`admin.createTenant: ${response.status} ${await response.text()}`);
  const created = ((await response.json()) as { result: { data: { tenant: { id: string }; keys: { secret: { key: string } } } } }).result.data;
  const { rows: services } = await pool.query<{ id: string }>('SELECT id FROM services WHERE tenant_id = $1', [created.tenant.id]);
  const { rows: resources } = await pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1 ORDER BY name', [created.tenant.id]);
  return { id: created.tenant.id, key: created.keys.secret.key, serviceId: services[0]!.id, resourceIds: resources.map((r) => r.id) };
}

/** 2,000 booked appointments (or `count`) spread over 14 days from tomorrow and the tenant's resources, in one statement. */
async function seedAppointments(pool: Pool, tenant: BenchTenant, count = 2000): Promise<number> {
  const { rowCount } = await pool.query(
    `WITH picked AS (
       SELECT r.ord, r.id AS resource_id, (($3::date + d) + time '08:00' + i * interval '30 minutes') AT TIME ZONE $4 AS starts_at
         FROM unnest($2::uuid[]) WITH ORDINALITY AS r (id, ord), generate_series(0, 13) AS d, generate_series(0, 23) AS i
        WHERE (r.ord * 7 + d * 3 + i) % 5 < 3
        LIMIT $6
     ), c AS (
       INSERT INTO claims (tenant_id, resource_id, during)
       SELECT $1, resource_id, tstzrange(starts_at, starts_at + interval '30 minutes') FROM picked
       RETURNING id, resource_id, lower(during) AS starts_at
     )
     INSERT INTO appointments (tenant_id, reference, claim_id, service_id, resource_id, starts_at, ends_at, client_name, client_email)
     SELECT $1, 'GM-' || upper(lpad(to_hex(row_number() OVER ()), 5, '0')), c.id, $5, c.resource_id, c.starts_at, c.starts_at + interval '30 minutes', 'Bench', 'b@example.com' FROM c`,
    [tenant.id, tenant.resourceIds, isoDate(1), zone, tenant.serviceId, count],
  );
  await pool.query('ANALYZE');
  return rowCount ?? 0;
}

/**
 * Distinct 15-minute slots from tomorrow, cycling through `resourceIds`, so no booking competes for a
 * time. The day's last quarter is skipped: the tenant closes at 23:59, so 23:45 does not fit.
 */
function* distinctSlots(resourceIds: string[]): Generator<{ start: string; resourceId: string }> {
  const first = Date.parse(`${isoDate(1)}T05:00:00Z`);
  const localTime = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (let quarter = 0; ; quarter++) {
    const start = new Date(first + quarter * 15 * 60_000);
    if (localTime.format(start) === '23:45') continue;
    for (const resourceId of resourceIds) yield { start: start.toISOString(), resourceId };
  }
}

/**
 * tRPC POSTs over `concurrency` kept-alive connections with node:http. The load generator shares
 * the machine's two cores with the API and Postgres: `fetch` took 0.7–1.2 ms of CPU per request
 * here, node:http 0.2–0.3 ms (`load_generator_cpu_ms_per_booking` in each run).
 */
function keepAlivePoster(baseUrl: string, key: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(baseUrl);
  const post = (procedure: string, input: unknown) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify(input);
      const request = http.request(
        { agent, host: url.hostname, port: url.port, path: `/trpc/${procedure}`, method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/** `concurrency` customers each holding then confirming distinct slots for `seconds` (default `duration`). */
async function bookConcurrently(baseUrl: string, tenant: BenchTenant, options: { resources: number; concurrency: number; seconds?: number }) {
  const { post, close } = keepAlivePoster(baseUrl, tenant.key, options.concurrency);
  const slots = distinctSlots(tenant.resourceIds.slice(0, options.resources));
  const statuses: Record<string, number> = {};
  let booked = 0;
  let attempts = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + (options.seconds ?? duration) * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        attempts++;
        const slot = slots.next().value!;
        const sessionId = `bench-${options.resources}-${worker}-${i}`;
        const hold = await post('bookings.hold', { serviceId: tenant.serviceId, start: slot.start, resourceId: slot.resourceId, sessionId });
        if (hold.status !== 200) {
          statuses[`hold_${hold.status}`] = (statuses[`hold_${hold.status}`] ?? 0) + 1;
          continue;
        }
        const holdId = (JSON.parse(hold.body) as { result: { data: { id: string } } }).result.data.id;
        const confirm = await post('bookings.confirm', { holdId, sessionId, client: { name: 'Bench', email: 'bench@example.com' } });
        if (confirm.status === 200) booked++;
        else statuses[`confirm_${confirm.status}`] = (statuses[`confirm_${confirm.status}`] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  close();
  // The load generator's own CPU per booking: it shares the machine's cores with the API and Postgres.
  const loadCpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, booked);
  return { booked, bookings_per_s: Math.round(booked / seconds), error_rate: Number(((attempts - booked) / Math.max(1, attempts)).toFixed(4)), errors: statuses, load_generator_cpu_ms_per_booking: Number(loadCpuMs.toFixed(2)) };
}

/** What the bench uses of graphile-worker (a dependency of @gomomo/autonomy, not of this app). */
interface QueueMigrator {
  runMigrations(options: { pgPool: Pool; logger: unknown }): Promise<void>;
  Logger: new (factory: () => () => void) => unknown;
}

/** graphile-worker's schema (its own migrator), resolved from @gomomo/autonomy, which depends on it. */
async function installQueueSchema(pool: Pool): Promise<void> {
  const fromAutonomy = createRequire(path.join(appDir, '..', '..', 'packages', 'autonomy', 'package.json'));
  const worker = (await import(pathToFileURL(fromAutonomy.resolve('graphile-worker')).href)) as QueueMigrator;
  await worker.runMigrations({ pgPool: pool, logger: new worker.Logger(() => () => undefined) });
}

/**
 * The 15 statements that took most of Postgres' time, per booking made (pg_stat_statements);
 * BENCH_PG_STATEMENTS_TOP=<n> lists more, BENCH_PG_STATEMENTS_BY=calls the most frequent.
 */
async function topStatements(pool: Pool, bookings: number): Promise<{ ms_per_booking: number; calls_per_booking: number; blocks_per_call?: number; plans_per_booking?: number; planning_ms_per_booking?: number; slowest_ms?: number; query: string }[]> {
  // Blocks per call (shared buffers hit or read, with what the statement's functions read): a
  // statement whose plan scans a growing table shows here first.
  const { rows } = await pool.query<{ total: number; planning: number; slowest: number; calls: string; plans: string; blocks: string; query: string }>(
    `SELECT total_exec_time + total_plan_time AS total, total_plan_time AS planning, max_exec_time AS slowest, calls, plans, shared_blks_hit + shared_blks_read AS blocks, query FROM pg_stat_statements ORDER BY ${process.env.BENCH_PG_STATEMENTS_BY === 'calls' ? 'calls' : '1'} DESC LIMIT ${Number(process.env.BENCH_PG_STATEMENTS_TOP ?? 15)}`,
  );
  const { rows: functions } = await pool.query<{ name: string; calls: string; total: number; self: number }>(
    'SELECT funcname AS name, calls, total_time AS total, self_time AS self FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT 15',
  );
  return [
    ...rows.map((row) => ({
      ms_per_booking: Number((row.total / Math.max(1, bookings)).toFixed(3)),
      calls_per_booking: Number((Number(row.calls) / Math.max(1, bookings)).toFixed(2)),
      blocks_per_call: Math.round(Number(row.blocks) / Math.max(1, Number(row.calls))),
      ...(Number(row.plans) > 0 ? { plans_per_booking: Number((Number(row.plans) / Math.max(1, bookings)).toFixed(2)), planning_ms_per_booking: Number((row.planning / Math.max(1, bookings)).toFixed(3)) } : {}),
      slowest_ms: Number(row.slowest.toFixed(1)),
      query: row.query.replace(/\s+/g, ' ').slice(0, 140),
    })),
    ...functions.map((fn) => ({
      ms_per_booking: Number((fn.self / Math.max(1, bookings)).toFixed(3)),
      calls_per_booking: Number((Number(fn.calls) / Math.max(1, bookings)).toFixed(2)),
      query: `function ${fn.name}: self time (with what it calls ${(fn.total / Math.max(1, bookings)).toFixed(3)} ms)`,
    })),
  ];
}

/** Waits (at most 60 s) until no job is due: the worker has caught up with the bookings made. */
async function drainDueJobs(pool: Pool): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await pool.query<{ due: number }>('SELECT count(*)::int AS due FROM graphile_worker._private_jobs WHERE run_at <= now() AND attempts < max_attempts');
    if (rows[0]!.due === 0 || performance.now() - started > 60_000) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * BENCH_ONLY=booking: hold+confirm at c=8 on one and on ten resources, with the autonomy worker in
 * the API process and without it (AUTONOMY_IN_API=false, the jobs are still enqueued), each API on
 * its own throwaway Postgres so one's worker never runs the other's jobs. The runs alternate
 * (on, off, on, off) and each reports the CPU per booking of the API process and of its Postgres
 * cluster — measured until the worker has caught up with the bookings of the run.
 */
async function mainBookingCpu(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const sides = await Promise.all(
    (['worker_on', 'worker_off'] as const).map(async (name) => {
      // BENCH_PG_STATEMENTS=1: the worker-on side's Postgres counts statements (pg_stat_statements),
      // and the run ends with its most expensive ones per booking.
      const withStatementStats = process.env.BENCH_PG_STATEMENTS === '1' && name === 'worker_on';
      const db = await openScratchDatabase({ poolSize: 2, label: name, withStatementStats });
      if (withStatementStats) {
        await db.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        // PL/pgSQL functions' own time too (pg_stat_user_functions), for the profile of the booking's functions.
        await db.pool.query("ALTER SYSTEM SET track_functions = 'pl'");
        // BENCH_PG_STATEMENTS_NESTED=1: statements inside functions and triggers too, with how often each was planned.
        if (process.env.BENCH_PG_STATEMENTS_NESTED === '1') {
          await db.pool.query("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
          await db.pool.query('ALTER SYSTEM SET pg_stat_statements.track_planning = on');
        }
        await db.pool.query('SELECT pg_reload_conf()');
      }
      // The queue's schema on both sides, so the jobs are enqueued in the booking's transaction on both.
      await installQueueSchema(db.pool);
      // BENCH_CPU_PROF=<dir>: the worker-on API (BENCH_CPU_PROF_SIDE=worker_off: the other) writes a V8 CPU profile there when it exits.
      const profile = process.env.BENCH_CPU_PROF && name === (process.env.BENCH_CPU_PROF_SIDE ?? 'worker_on') ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
      const api = await startProcess([...profile, 'dist/main.js'], {
        env: { DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_IP: '0', AUTONOMY_IN_API: name === 'worker_on' ? 'true' : 'false' },
        ready: /gomomo ready at /,
      });
      return { name, db, api, baseUrl: /ready at (\S+)/.exec(api.line)![1]!, postmaster: await postmasterPidOf(db.pool), runs: [] as Record<string, unknown>[], warmUp: {} as Record<string, unknown> };
    }),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // Each side's warm-up (BENCH_WARMUP_SECONDS), with the worker catching up after it.
    for (const side of sides) {
      const tenant = await onboard(side.baseUrl, side.db.pool, { slug: `bench-${side.name.replace('_', '-')}-warm-up`, opens: '00:00', closes: '23:59', durationMinutes: 15, lookaheadDays: 60 });
      const warmUp = await bookConcurrently(side.baseUrl, tenant, { resources: 10, concurrency: 8, seconds: warmUpSeconds });
      side.warmUp = { seconds: warmUpSeconds, resources: 10, ...warmUp, worker_drain_ms: side.name === 'worker_on' ? await drainDueJobs(side.db.pool) : 0 };
    }
    if (process.env.BENCH_PG_STATEMENTS === '1') await sides[0]!.db.pool.query('SELECT pg_stat_statements_reset(), pg_stat_reset()');
    for (let round = 0; round < rounds; round++) {
      for (const side of sides) {
        for (const resources of [1, 10]) {
          const tenant = await onboard(side.baseUrl, side.db.pool, { slug: `bench-${side.name.replace('_', '-')}-${round}-${resources}`, opens: '00:00', closes: '23:59', durationMinutes: 15, lookaheadDays: 60 });
          if (side.name === 'worker_on') await drainDueJobs(side.db.pool);
          const apiBefore = processCpuMs(side.api.child.pid!);
          const pgBefore = side.postmaster === undefined ? 0 : await postgresCpuMs(side.postmaster);
          const booked = await bookConcurrently(side.baseUrl, tenant, { resources, concurrency: 8 });
          const drainMs = side.name === 'worker_on' ? await drainDueJobs(side.db.pool) : 0;
          const count = Math.max(1, booked.booked);
          const apiMs = processCpuMs(side.api.child.pid!) - apiBefore;
          const pgMs = side.postmaster === undefined ? Number.NaN : (await postgresCpuMs(side.postmaster)) - pgBefore;
          side.runs.push({
            round,
            resources,
            ...booked,
            api_cpu_ms_per_booking: Number((apiMs / count).toFixed(2)),
            postgres_cpu_ms_per_booking: Number((pgMs / count).toFixed(2)),
            total_cpu_ms_per_booking: Number(((apiMs + pgMs) / count).toFixed(2)),
            worker_drain_ms: drainMs,
          });
        }
      }
    }
    const statements = process.env.BENCH_PG_STATEMENTS === '1' ? await topStatements(sides[0]!.db.pool, sides[0]!.runs.reduce((sum, run) => sum + Number(run.booked), 0)) : undefined;
    console.log(JSON.stringify({ duration_s: duration, warm_up: Object.fromEntries(sides.map((side) => [side.name, side.warmUp])), hold_confirm_cpu: Object.fromEntries(sides.map((side) => [side.name, side.runs])), ...(statements ? { worker_on_top_statements: statements } : {}), note: 'c=8; CPU per booking counts the worker catching up after the run; shared machine, noisy' }));
  } finally {
    for (const side of sides) side.api.child.kill('SIGTERM');
    await Promise.all(sides.map((side) => new Promise((resolve) => (side.api.child.exitCode === null ? side.api.child.once('exit', resolve) : resolve(null)))));
    await Promise.all(sides.map((side) => side.db.close()));
  }
}

async function main(): Promise<void> {
  if (!existsSync(mainJs)) throw new Error('apps/api/dist/main.js is missing: run pnpm build first');
  if (process.env.BENCH_ONLY === 'booking') return mainBookingCpu();
  // BENCH_PG_STATEMENTS=1: the booking phases' costliest statements per booking (pg_stat_statements).
  const withStatementStats = process.env.BENCH_PG_STATEMENTS === '1';
  const db = await openScratchDatabase({ poolSize: 4, label: 'api', withStatementStats });
  if (withStatementStats) await db.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const children: ChildProcess[] = [];
  try {
    // BENCH_CPU_PROF=<dir>: the API writes a V8 CPU profile there when it exits (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
    const api = await startProcess([...profile, 'dist/main.js'], {
      env: { DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_IP: '0', METRICS_TOKEN: metricsToken },
      ready: /gomomo ready at /,
    });
    children.push(api.child);
    const baseUrl = /ready at (\S+)/.exec(api.line)![1]!;
    // Let start-up work (the autonomy worker's first poll) settle before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssIdle = rssMb(api.child.pid!);

    const ceiling = await startProcess(['--input-type=module', '-e', ceilingServer], { env: {}, ready: /ceiling ready at / });
    children.push(ceiling.child);
    const ceilingUrl = /ready at (\S+)/.exec(ceiling.line)![1]!;

    const shop = await onboard(baseUrl, db.pool, { slug: 'bench-availability', opens: '08:00', closes: '20:00', durationMinutes: 30, lookaheadDays: 30 });
    const appointments = await seedAppointments(db.pool, shop);
    const headers = { authorization: `Bearer ${shop.key}` };
    const query = (tenant: BenchTenant) => encodeURIComponent(JSON.stringify({ serviceId: tenant.serviceId, from: isoDate(1), to: isoDate(14) }));
    const availabilityUrl = `${baseUrl}/trpc/availability.get?input=${query(shop)}`;
    const compactUrl = `${baseUrl}/trpc/availability.compact?input=${query(shop)}`;
    const fullBody = await (await fetch(availabilityUrl, { headers })).text();
    const slotCount = (JSON.parse(fullBody) as { result: { data: { slots: unknown[] } } }).result.data.slots.length;
    // The first query loaded the tenant's busy index: resident memory with it, before any load.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rssWithIndex = rssMb(api.child.pid!);

    // The size of both forms for a tenant with many resources (issue 15: 605 KB at 50 in the full form).
    const wide = await onboard(baseUrl, db.pool, { slug: 'bench-wide', opens: '08:00', closes: '20:00', durationMinutes: 30, lookaheadDays: 30, resources: 50 });
    await seedAppointments(db.pool, wide, 2000);
    const wideHeaders = { authorization: `Bearer ${wide.key}` };
    const bytesOf = async (url: string, h: Record<string, string>) => Buffer.byteLength(await (await fetch(url, { headers: h })).text());
    const responseKb = {
      full_10_resources: Math.round(Buffer.byteLength(fullBody) / 1024),
      compact_10_resources: Math.round((await bytesOf(compactUrl, headers)) / 1024),
      full_50_resources: Math.round((await bytesOf(`${baseUrl}/trpc/availability.get?input=${query(wide)}`, wideHeaders)) / 1024),
      compact_50_resources: Math.round((await bytesOf(`${baseUrl}/trpc/availability.compact?input=${query(wide)}`, wideHeaders)) / 1024),
    };

    // A second API process on the same database with the busy index off (AVAILABILITY_FROM_MEMORY=false),
    // measured in the same run: every query reads busy time from Postgres.
    const postgresApi = await startProcess(['dist/main.js'], {
      env: { DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_IP: '0', AVAILABILITY_FROM_MEMORY: 'false', AUTONOMY_IN_API: 'false' },
      ready: /gomomo ready at /,
    });
    children.push(postgresApi.child);
    const postgresUrl = availabilityUrl.replace(baseUrl, /ready at (\S+)/.exec(postgresApi.line)![1]!);

    const ceilingRun = await load({ url: ceilingUrl, connections, pid: ceiling.child.pid! });
    const availabilityOne = await load({ url: availabilityUrl, connections: 1, headers });
    const availability = await withHitRatio(baseUrl, () => load({ url: availabilityUrl, connections, headers, pid: api.child.pid! }));
    const compact = await load({ url: compactUrl, connections, headers, pid: api.child.pid! });
    const gzipped = await withHitRatio(baseUrl, () => load({ url: availabilityUrl, connections, headers: { ...headers, 'accept-encoding': 'gzip' }, pid: api.child.pid! }));
    const variedQueries = Array.from({ length: 7 }, (_, day) => [undefined, ...shop.resourceIds].map((resourceId) => ({ serviceId: shop.serviceId, from: isoDate(1 + day), to: isoDate(14 + day), resourceId })));
    const varied = await withHitRatio(baseUrl, () =>
      load({ url: baseUrl, connections, headers, pid: api.child.pid!, requests: variedQueries.flat().map((q) => ({ path: `/trpc/availability.get?input=${encodeURIComponent(JSON.stringify(q))}` })) }),
    );
    const withBookings = await withHitRatio(baseUrl, async () => {
      // One customer at a time holds and confirms on the same tenant while the 50 connections ask.
      const [asked, bookingsPerS] = await Promise.all([load({ url: availabilityUrl, connections, headers, pid: api.child.pid! }), bookBeyondTheWindow(baseUrl, shop)]);
      return { ...asked, bookingsPerS };
    });
    const postgresOne = await load({ url: postgresUrl, connections: 1, headers });
    const postgres = await load({ url: postgresUrl, connections, headers, pid: postgresApi.child.pid! });
    postgresApi.child.kill('SIGTERM');
    // A fresh tenant per run, so the second run's slots were not taken by the first.
    const bookingTenant = (slug: string) => onboard(baseUrl, db.pool, { slug, opens: '00:00', closes: '23:59', durationMinutes: 15, lookaheadDays: 60 });
    // Each booking run starts with the worker caught up (the bookings of the phase before are not
    // charged to it), and reports how long the worker then took to catch up with its own bookings:
    // the confirmations and reminders it queued are part of what a booking costs.
    // The CPU each booking cost, in the API process (the worker in it included) and in Postgres,
    // until the worker caught up: a 5-second burst's bookings/s moves ±20% between runs on a
    // shared machine, its CPU per booking far less.
    const postmaster = await postmasterPidOf(db.pool);
    const bookAndCatchUp = async (slug: string, resources: number, seconds = duration) => {
      const tenant = await bookingTenant(slug);
      await drainDueJobs(db.pool);
      const apiBefore = processCpuMs(api.child.pid!);
      const pgBefore = postmaster === undefined ? Number.NaN : await postgresCpuMs(postmaster);
      const booked = await bookConcurrently(baseUrl, tenant, { resources, concurrency: 8, seconds });
      const catchUpMs = await drainDueJobs(db.pool);
      const count = Math.max(1, booked.booked);
      const apiMs = (processCpuMs(api.child.pid!) - apiBefore) / count;
      const pgMs = postmaster === undefined ? Number.NaN : ((await postgresCpuMs(postmaster)) - pgBefore) / count;
      return {
        ...booked,
        worker_catch_up_ms: catchUpMs,
        bookings_per_s_with_catch_up: Math.round(booked.booked / (seconds + catchUpMs / 1000)),
        api_cpu_ms_per_booking: Number(apiMs.toFixed(2)),
        postgres_cpu_ms_per_booking: Number(pgMs.toFixed(2)),
      };
    };
    // The first bookings at c=8 after start, on ten resources: shown, not the figures of the runs.
    const warmUp = await bookAndCatchUp('bench-booking-warm-up', 10, warmUpSeconds);
    if (withStatementStats) await db.pool.query('SELECT pg_stat_statements_reset()');
    const oneResource = await bookAndCatchUp('bench-booking-one', 1);
    const tenResources = await bookAndCatchUp('bench-booking-ten', 10);
    if (withStatementStats) console.error(JSON.stringify({ booking_top_statements: await topStatements(db.pool, oneResource.booked + tenResources.booked) }));
    const chat = await load({ url: `${baseUrl}/trpc/chat.send`, connections, headers: { ...headers, 'content-type': 'application/json' }, method: 'POST', body: JSON.stringify({ text: 'What services do you offer?' }) });
    const ratio = (value: number, digits = 3) => Number((value / ceilingRun.rps).toFixed(digits));
    console.log(
      JSON.stringify({
        shape: { days: 14, resources: 10, appointments, slots_returned: slotCount },
        duration_s: duration,
        availability_c1_p50_ms: availabilityOne.p50,
        availability_c50_rps: availability.rps,
        availability_c50_p99_ms: availability.p99,
        availability_c50_cpu_ms_per_req: availability.cpuMsPerRequest,
        availability_cached_hit_ratio: availability.hitRatio,
        availability_gzip_c50_rps: gzipped.rps,
        availability_gzip_c50_p99_ms: gzipped.p99,
        availability_gzip_c50_cpu_ms_per_req: gzipped.cpuMsPerRequest,
        availability_gzip_cached_hit_ratio: gzipped.hitRatio,
        availability_varied_queries: variedQueries.flat().length,
        availability_varied_c50_rps: varied.rps,
        availability_varied_c50_p99_ms: varied.p99,
        availability_varied_c50_cpu_ms_per_req: varied.cpuMsPerRequest,
        availability_varied_cached_hit_ratio: varied.hitRatio,
        availability_with_bookings_c50_rps: withBookings.rps,
        availability_with_bookings_c50_p99_ms: withBookings.p99,
        availability_with_bookings_per_s: withBookings.bookingsPerS,
        availability_with_bookings_cached_hit_ratio: withBookings.hitRatio,
        availability_compact_c50_rps: compact.rps,
        availability_compact_c50_p99_ms: compact.p99,
        availability_compact_c50_cpu_ms_per_req: compact.cpuMsPerRequest,
        response_kb: responseKb,
        from_memory: { availability_c1_p50_ms: availabilityOne.p50, availability_c50_rps: availability.rps, availability_c50_p99_ms: availability.p99, rss_mb_index_loaded: rssWithIndex },
        from_postgres: { availability_c1_p50_ms: postgresOne.p50, availability_c50_rps: postgres.rps, availability_c50_p99_ms: postgres.p99, availability_c50_api_cpu_ms_per_req: postgres.cpuMsPerRequest },
        hold_confirm_c8_warm_up: { seconds: warmUpSeconds, resources: 10, ...warmUp },
        hold_confirm_c8_one_resource: oneResource,
        hold_confirm_c8_ten_resources: tenResources,
        chat_c50_rps: chat.rps,
        chat_c50_p99_ms: chat.p99,
        ceiling_c50_rps: ceilingRun.rps,
        ceiling_c50_cpu_ms_per_req: ceilingRun.cpuMsPerRequest,
        ratio_availability_vs_ceiling: ratio(availability.rps),
        ratio_availability_from_memory_vs_ceiling: ratio(availability.rps),
        ratio_availability_compact_vs_ceiling: ratio(compact.rps),
        ratio_availability_from_postgres_vs_ceiling: ratio(postgres.rps),
        ratio_availability_memory_vs_postgres: Number((availability.rps / Math.max(1, postgres.rps)).toFixed(2)),
        ratio_bookings_one_vs_ceiling: ratio(oneResource.bookings_per_s, 4),
        ratio_bookings_ten_vs_ceiling: ratio(tenResources.bookings_per_s, 4),
        ratio_chat_vs_ceiling: ratio(chat.rps, 4),
        // The same ratio by CPU per request (ceiling ÷ availability), which waiting for a core does not distort.
        ratio_availability_vs_ceiling_by_cpu: Number((ceilingRun.cpuMsPerRequest / Math.max(0.001, availability.cpuMsPerRequest)).toFixed(3)),
        rss_mb_idle: rssIdle,
        rss_mb_index_loaded: rssWithIndex,
        rss_mb_after_load: rssMb(api.child.pid!),
        server: 'node dist/main.js (built), own process; load generator in this process; offline brain; autonomy worker in process',
        postgres: db.isExternal ? 'BENCH_DATABASE_URL' : 'embedded (fsync off)',
        note: 'shared machine figures are noisy; compare ratios within one run',
      }),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))));
    await db.close();
  }
}

await main();
