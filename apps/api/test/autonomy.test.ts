import { spawn } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { apiDir } from './processes.js';

const adminSecret = 'autonomy-test-admin-secret-01';
let db: TestDatabase;

/** A clinic open around the clock, so a slot tomorrow exists whatever the wall clock says (the worker runs on real time). */
function tenantInput(slug: string) {
  return {
    name: `Clinic ${slug}`,
    slug,
    timeZone: 'America/New_York',
    minNoticeMinutes: 0,
    services: [{ name: 'Consultation', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })),
  };
}

async function trpc<T>(app: FastifyInstance, path: string, input: unknown, key: string): Promise<T> {
  const response = await app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(input) });
  if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${response.body}`);
  return (response.json() as { result: { data: T } }).result.data;
}

/** Onboards a tenant and books tomorrow's first slot through the API (bookings.hold → bookings.confirm). */
async function bookThroughApi(app: FastifyInstance, slug: string): Promise<{ tenantId: string; appointmentId: string }> {
  const onboarded = await trpc<{ tenant: { id: string }; keys: { secret: { key: string } } }>(app, 'admin.createTenant', tenantInput(slug), adminSecret);
  const key = onboarded.keys.secret.key;
  const services = await app.inject({ method: 'GET', url: '/trpc/services.list', headers: { authorization: `Bearer ${key}` } });
  const serviceId = (services.json() as { result: { data: { id: string }[] } }).result.data[0]!.id;
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const slots = await app.inject({ method: 'GET', url: `/trpc/availability.get?input=${encodeURIComponent(JSON.stringify({ serviceId, from: tomorrow, to: tomorrow }))}`, headers: { authorization: `Bearer ${key}` } });
  const slot = (slots.json() as { result: { data: { slots: { start: string }[] } } }).result.data.slots[10]!;
  const hold = await trpc<{ id: string }>(app, 'bookings.hold', { serviceId, start: slot.start, sessionId: `session-${slug}` }, key);
  const booking = await trpc<{ id: string }>(app, 'bookings.confirm', { holdId: hold.id, sessionId: `session-${slug}`, client: { name: 'Ana Silva', email: 'ana@example.com' } }, key);
  return { tenantId: onboarded.tenant.id, appointmentId: booking.id };
}

async function waitForConfirmation(appointmentId: string): Promise<{ channel: string; template: string; recipient: string; status: string; provider: string | null }> {
  for (let i = 0; i < 150; i++) {
    const { rows } = await db.pool.query<{ channel: string; template: string; recipient: string; status: string; provider: string | null }>(
      "SELECT channel, template, recipient, status, provider FROM notification_outbox WHERE appointment_id = $1 AND template = 'confirmation'",
      [appointmentId],
    );
    if (rows[0] && rows[0].status !== 'pending' && rows[0].status !== 'sending') return rows[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no confirmation was sent for ${appointmentId} within 15 s`);
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('autonomy in the API process (the default)', () => {
  it('sends a booking made through the API a confirmation through the outbox (log transport)', async () => {
    const app = await buildApp(loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'silent', RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_KEY: '0' }));
    try {
      expect(app.appInfo.autonomy).not.toBeNull();
      const { appointmentId } = await bookThroughApi(app, 'in-process');
      expect(await waitForConfirmation(appointmentId)).toEqual({ channel: 'email', template: 'confirmation', recipient: 'ana@example.com', status: 'sent', provider: 'log' });
    } finally {
      await app.close();
    }
  });
});

describe('pnpm worker (the worker as its own process)', () => {
  function runWorker(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/worker.ts'], {
      cwd: apiDir,
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { child, exited, output: () => output };
  }

  it('refuses to start without DATABASE_URL and says why', async () => {
    const worker = runWorker({});
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toContain('DATABASE_URL is required');
  });

  it('confirms a booking made through an API that runs no worker of its own, and stops cleanly on SIGTERM', async () => {
    const app = await buildApp(loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'silent', AUTONOMY_IN_API: 'false' }));
    const worker = runWorker({ DATABASE_URL: db.url });
    try {
      expect(app.appInfo.autonomy).toBeNull();
      const { appointmentId } = await bookThroughApi(app, 'separate-worker');
      expect(await waitForConfirmation(appointmentId)).toMatchObject({ template: 'confirmation', status: 'sent' });
      expect(worker.output()).toContain('gomomo worker running');
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      worker.child.kill('SIGKILL');
      await app.close();
    }
  }, 60_000);
});
