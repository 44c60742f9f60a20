// Issue 15: Postgres wakes every listening connection of a database on every NOTIFY, whatever its
// channel. The API process with its worker held four LISTEN connections — the event hub's, the job
// runner's, the outbox sender's and graphile-worker's own — so each committed booking woke four
// backends per notification, about a millisecond of Postgres CPU per booking in `pnpm bench:api`.
// The runner and the sender now wake on the event hub's connection.
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const adminSecret = 'listen-test-admin-secret-0001';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** The connections of this database that LISTEN (their last statement), by what they listen for. */
async function listeningConnections(): Promise<string[]> {
  const { rows } = await db.pool.query<{ query: string }>("SELECT query FROM pg_stat_activity WHERE datname = current_database() AND query ~* '^\\s*LISTEN' ORDER BY query");
  return rows.map((row) => row.query);
}

async function trpc<T>(app: FastifyInstance, path: string, input: unknown, key: string): Promise<T> {
  const response = await app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(input) });
  if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${response.body}`);
  return (response.json() as { result: { data: T } }).result.data;
}

describe('the API process with its worker', () => {
  it('listens on two connections, the event hub and graphile-worker, not four, and still confirms a booking', async () => {
    const app = await buildApp(loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'silent', RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_KEY: '0' }));
    try {
      expect(app.appInfo.autonomy).not.toBeNull();
      // graphile-worker opens its listener as it starts; give it a moment to be counted.
      for (let i = 0; i < 50 && (await listeningConnections()).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const listening = await listeningConnections();
      expect(listening).toHaveLength(2);
      expect(listening.some((query) => query.includes('gomomo_events') && query.includes('gomomo_outbox'))).toBe(true);
      expect(listening.some((query) => query.includes('jobs:insert'))).toBe(true);

      const onboarded = await trpc<{ tenant: { id: string }; keys: { secret: { key: string } } }>(app, 'admin.createTenant', {
        name: 'Listen Clinic',
        slug: 'listen-clinic',
        timeZone: 'America/New_York',
        minNoticeMinutes: 0,
        services: [{ name: 'Consultation', durationMinutes: 30 }],
        hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })),
      }, adminSecret);
      const key = onboarded.keys.secret.key;
      const services = await app.inject({ method: 'GET', url: '/trpc/services.list', headers: { authorization: `Bearer ${key}` } });
      const serviceId = (services.json() as { result: { data: { id: string }[] } }).result.data[0]!.id;
      const start = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 2, 15)).toISOString();
      const hold = await trpc<{ id: string }>(app, 'bookings.hold', { serviceId, start, sessionId: 'listen-session' }, key);
      const booking = await trpc<{ id: string }>(app, 'bookings.confirm', { holdId: hold.id, sessionId: 'listen-session', client: { name: 'Ana Silva', email: 'ana@example.com' } }, key);
      let status: string | undefined;
      for (let i = 0; i < 150 && status !== 'sent'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const { rows } = await db.pool.query<{ status: string }>("SELECT status FROM notification_outbox WHERE appointment_id = $1 AND template = 'confirmation'", [booking.id]);
        status = rows[0]?.status;
      }
      expect(status).toBe('sent');
      expect(await listeningConnections()).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
