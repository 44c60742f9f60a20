// pnpm bench:outbox — prints ONE JSON object:
//   drain_per_s: 10,000 queued messages (half email, half SMS) drained by 2 worker processes against
//                the local fake Postmark and Twilio (target ≥ 500/s);
//   duplicates:  messages the fakes accepted more than once (must be 0);
//   event_to_handler_p50_ms / _p99_ms: from a domain event's COMMIT to its job handler starting
//                (graphile-worker woken by NOTIFY; target p50 ≤ 20 ms).
// Uses DATABASE_URL when set, else an embedded Postgres in a temporary folder.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTenant, demoTenantInput, migrate, recordEvent, withTransaction } from '@gomomo/core';
import { openScratchDatabase } from '@gomomo/core/testing';
import { startFakePostmark } from '../../channels/test/fakes/fake-postmark.js';
import { startFakeTwilio } from '../../channels/test/fakes/fake-twilio.js';
import { createTasks } from '../src/handlers/tasks.js';
import { defaultAutonomyConfig } from '../src/config.js';
import { databaseCalendarProvider } from '../src/calendar/provider.js';
import { createPolicyEngine } from '@gomomo/policy';
import { createAutonomyGate } from '../src/policy/gate.js';
import { installQueue } from '../src/queue/install.js';
import { startJobRunner } from '../src/queue/runner.js';

const messages = 10_000;
const events = 300;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const workerScript = fileURLToPath(new URL('./outbox-worker.ts', import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const db = await openScratchDatabase({ label: 'outbox' });
  const { pool } = db;
  const url = db.url;
  const postmark = await startFakePostmark();
  const twilio = await startFakeTwilio();
  try {
    await migrate(pool);
    await installQueue(pool);
    const tenant = await createTenant(pool, { ...demoTenantInput, slug: 'bench-clinic' });

    // 1. Drain: 10,000 rows queued at once, two worker processes.
    await pool.query(
      `INSERT INTO notification_outbox (tenant_id, channel, template, recipient, subject, body, idempotency_key)
       SELECT $1, CASE WHEN n % 2 = 0 THEN 'email' ELSE 'sms' END, 'confirmation',
              CASE WHEN n % 2 = 0 THEN 'b' || n || '@example.com' ELSE '+1555' || lpad(n::text, 7, '0') END,
              CASE WHEN n % 2 = 0 THEN 'Bench' END, 'Bench message ' || n, 'bench-' || n
         FROM generate_series(1, $2) AS n`,
      [tenant.id, messages],
    );
    const env = { ...process.env, DATABASE_URL: url, POSTMARK_HOST: postmark.host, POSTMARK_TOKEN: postmark.token, TWILIO_URL: twilio.url, TWILIO_SID: twilio.accountSid, TWILIO_TOKEN: twilio.authToken };
    const started = performance.now();
    const workers = [0, 1].map(
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', workerScript], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('exit', resolve);
        }),
    );
    const codes = await Promise.all(workers);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pool.query<{ sent: number }>(`SELECT count(*)::int AS sent FROM notification_outbox WHERE status = 'sent'`);
    const bodies = [...postmark.received.map((m) => m.textBody), ...twilio.received.map((m) => m.body)];
    const duplicates = bodies.length - new Set(bodies).size;

    // 2. Latency: event COMMIT → job handler start, one event at a time.
    const starts = new Map<number, number>();
    const config = { ...defaultAutonomyConfig };
    const ctx = { pool, clock: { now: () => new Date() }, config, gate: createAutonomyGate({ enabled: true, policy: createPolicyEngine({ pool }) }), calendar: databaseCalendarProvider };
    const runner = await startJobRunner({ pool, concurrency: 4, jobTimeoutMs: 10_000, tasks: createTasks(ctx, { onEventStart: (id, at) => starts.set(id, at) }) });
    const latencies: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < events; i++) {
      // An event some handler acts on (hold.created has no work since migration 0180, so it never
      // becomes a job); naming no hold, its handler only records that there was nothing to follow up.
      const id = await withTransaction(pool, (client) => recordEvent(client, { tenantId: tenant.id, type: 'followup.requested', payload: {}, occurredAt: new Date() }), { isolation: 'read committed' });
      const committed = performance.timeOrigin + performance.now();
      while (!starts.has(id)) {
        if (performance.timeOrigin + performance.now() - committed > 10_000) throw new Error(`event ${id} reached no handler within 10 s`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      latencies.push(starts.get(id)! - committed);
    }
    await runner.stop();
    latencies.sort((a, b) => a - b);

    console.log(
      JSON.stringify({
        messages,
        worker_processes: 2,
        workers_exit_codes: codes,
        sent: rows[0]!.sent,
        drain_seconds: Number(seconds.toFixed(2)),
        drain_per_s: Math.round(messages / seconds),
        duplicates,
        events,
        event_to_handler_p50_ms: Number(percentile(latencies, 50).toFixed(2)),
        event_to_handler_p99_ms: Number(percentile(latencies, 99).toFixed(2)),
      }),
    );
  } finally {
    await postmark.close();
    await twilio.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
