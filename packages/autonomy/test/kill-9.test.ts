// Issue 14 item 4 with real processes: the autonomous side is SIGKILLed in the middle of a booking
// load, a new process starts, and every booking made gets exactly one confirmation email within two
// minutes of the restart. The default job timeout (30 s) and outbox lease (60 s) are used as shipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTenant } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePostmark, type FakePostmark } from '../../channels/test/fakes/fake-postmark.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/autonomy-process.ts', import.meta.url));
let db: TestDatabase;
let postmark: FakePostmark;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  postmark = await startFakePostmark();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await postmark?.close();
  await db?.drop();
});

function startProcess(env: Record<string, string>) {
  // node itself (tsx as a loader), not the tsx wrapper: SIGKILL must hit the process that works.
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: db.url, POSTMARK_TOKEN: postmark.token, POSTMARK_HOST: postmark.host, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function bookedEmails(tenantId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ email: string }>(`SELECT client_email AS email FROM appointments WHERE tenant_id = $1 AND status = 'booked'`, [tenantId]);
  return rows.map((r) => r.email);
}

describe('kill -9 under booking load', () => {
  it('regression: after kill -9 confirmations are not sent — every booking gets exactly one within 2 minutes of the restart', async () => {
    const tenant = await createTenant(db.pool, {
      name: 'Crash Clinic',
      slug: 'crash-clinic',
      timeZone: 'UTC',
      minNoticeMinutes: 0,
      lookaheadDays: 60,
      services: [{ name: 'Consultation', durationMinutes: 15 }],
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })),
    });
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM services WHERE tenant_id = $1', [tenant.id]);
    const base = { TENANT_ID: tenant.id, SERVICE_ID: rows[0]!.id };

    // A slow provider keeps sends and jobs in flight, so the kill lands in the middle of the work.
    postmark.delayMs = 150;
    const first = startProcess({ ...base, BOOKINGS: '200' });
    await waitFor(() => first.output().includes('booked 40'), 60_000, 'the first 40 bookings');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const { rows: locked } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL');
    const { rows: sending } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_outbox WHERE status = 'sending'`);
    const booked = await bookedEmails(tenant.id);

    postmark.delayMs = 0;
    const restartedAt = Date.now();
    const second = startProcess({ ...base, BOOKINGS: '0' });
    const received = () => new Map(booked.map((email) => [email, postmark.received.filter((m) => m.to === email && /confirm/i.test(m.subject)).length]));
    await waitFor(() => [...received().values()].every((n) => n >= 1), 120_000, 'a confirmation for every booking');
    const drainSeconds = (Date.now() - restartedAt) / 1000;
    // Let anything that would go twice have its chance before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    second.child.kill('SIGTERM');
    await second.exited;

    const counts = [...received().values()];
    const figures = { bookings: booked.length, lockedJobsAtKill: locked[0]!.n, sendingAtKill: sending[0]!.n, confirmationsSent: counts.reduce((a, b) => a + b, 0), duplicates: counts.filter((n) => n > 1).length, drainSeconds };
    console.log(`kill -9 figures: ${JSON.stringify(figures)}`);
    expect(figures.bookings).toBeGreaterThanOrEqual(40);
    expect(counts.every((n) => n === 1)).toBe(true);
    expect(drainSeconds).toBeLessThan(120);
  }, 240_000);
});
