// docs/deploying.md's shape, with real processes: two stateless API instances (no worker inside)
// and two separate workers on one database. Bookings go through both APIs, push crosses instances,
// and every confirmation is queued once and sent once although two workers compete for the jobs.
// One API and one worker take their LISTEN connections from DATABASE_LISTEN_URL, as behind PgBouncer.
import { createGomomoClient, inSession, type SessionEvent } from '@gomomo/client';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, startWorkerProcess, type ApiProcess } from './processes.js';

const adminSecret = 'scale-out-admin-secret-0123';
let db: TestDatabase;
let apis: ApiProcess[] = [];
let workers: Omit<ApiProcess, 'url'>[] = [];

async function waitFor(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  const shared = { DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, AUTONOMY_IN_API: 'false' };
  // The first API applies the migrations; the rest start on a migrated database.
  apis = [await startApiProcess(shared)];
  apis.push(await startApiProcess({ ...shared, DATABASE_LISTEN_URL: db.url }));
  workers = await Promise.all([startWorkerProcess(shared), startWorkerProcess({ ...shared, DATABASE_LISTEN_URL: db.url })]);
}, 180_000);
afterAll(async () => {
  await Promise.all([...apis, ...workers].map((p) => p.stop()));
  await db?.drop();
});

describe('two APIs and two workers on one database', () => {
  it('books through both APIs, pushes across instances, and sends each confirmation exactly once', async () => {
    const [first, second] = apis as [ApiProcess, ApiProcess];
    const admin = createGomomoClient({ baseUrl: first.url, apiKey: adminSecret });
    const created = await admin.admin.createTenant.mutate({
      name: 'Scale Clinic',
      slug: 'scale-clinic',
      timeZone: 'UTC',
      minNoticeMinutes: 0,
      lookaheadDays: 30,
      services: [{ name: 'Consultation', durationMinutes: 15 }],
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })),
      allowedOrigins: ['https://scale.example'],
    });
    const key = created.keys.secret.key;
    const clients = [first, second].map((api) => createGomomoClient({ baseUrl: api.url, apiKey: key }));

    // A subscriber on the second instance (its LISTEN on DATABASE_LISTEN_URL) sees a hold made on the first.
    // A conversation the server issued (session ids are no longer chosen by callers), opened on the first.
    const { sessionId } = await clients[0]!.chat.send.mutate({ text: 'Hello' });
    const events: SessionEvent[] = [];
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const subscription = clients[1]!.chat.events.subscribe({}, { ...inSession({ sessionId }), onStarted: () => started(), onData: (event) => events.push(event.data) });
    await isStarted;
    await new Promise((resolve) => setTimeout(resolve, 200));

    const [service] = await clients[0]!.services.list.query();
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await clients[0]!.availability.get.query({ serviceId: service!.id, from, to });
    const bookings = 8;
    const references: string[] = [];
    for (let i = 0; i < bookings; i++) {
      const client = clients[i % 2]!;
      const session = i === 0 ? sessionId : `scale-session-${String(i).padStart(4, '0')}`;
      const hold = await client.bookings.hold.mutate({ serviceId: service!.id, start: slots[i * 3]!.start, sessionId: session });
      const booked = await client.bookings.confirm.mutate({ holdId: hold.id, sessionId: session, client: { name: `Guest ${i}`, email: `guest${i}@scale.example` } });
      references.push(booked.reference);
    }
    await waitFor(() => events.some((e) => e.kind === 'domain' && e.type === 'hold.created'), 'hold.created pushed to the other instance');
    subscription.unsubscribe();
    expect(new Set(references).size).toBe(bookings);

    // Every booking: one confirmation row, sent, on its first attempt — neither worker sent another's.
    const sent = async () => {
      const { rows } = await db.pool.query<{ recipient: string; status: string; attempts: number }>(
        `SELECT recipient, status, attempts FROM notification_outbox WHERE tenant_id = $1 AND template = 'confirmation' ORDER BY recipient`,
        [created.tenant.id],
      );
      return rows;
    };
    await waitFor(async () => (await sent()).filter((row) => row.status === 'sent').length >= bookings, 'every confirmation sent', 60_000);
    // Give a duplicate its chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const rows = await sent();
    expect(rows).toHaveLength(bookings);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.recipient)).size).toBe(bookings);
    const { rows: dead } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM job_dead_letters');
    expect(dead[0]!.n).toBe(0);

    // The LISTEN-only pools are real connections of their own.
    const { rows: names } = await db.pool.query<{ name: string }>(`SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE datname = current_database()`);
    expect(names.map((row) => row.name)).toEqual(expect.arrayContaining(['gomomo-api', 'gomomo-api-listen', 'gomomo-worker', 'gomomo-worker-listen']));
  }, 120_000);

  it('stops every process cleanly on SIGTERM', async () => {
    const codes = await Promise.all([...apis, ...workers].map((p) => p.stop()));
    expect(codes).toEqual([0, 0, 0, 0]);
  }, 60_000);
});
