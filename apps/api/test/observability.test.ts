import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const adminSecret = 'observability-admin-secret-0123';
const metricsToken = 'observability-metrics-token-0123';
let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  // Tuesday 1 December 2026, 08:00 in New York: the next days have open slots.
  app = await buildApp(loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret, LOG_LEVEL: 'silent', AUTONOMY_IN_API: 'false', METRICS_TOKEN: metricsToken }), { clock: new ManualClock('2026-12-01T13:00:00Z') });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function trpc(path: string, input: unknown, key: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(input) });
  expect(response.statusCode, response.body).toBe(200);
  return { response, data: (response.json() as { result: { data: Record<string, unknown> & { id: string; keys: { secret: { key: string } } } } }).result.data };
}

async function scrape(): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain');
  return response.body;
}

/** The value of one sample line, e.g. `gomomo_bookings_total{action="created"}`; 0 when absent. */
function sample(body: string, series: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function onboard(slug: string): Promise<{ secretKey: string; serviceId: string }> {
  const { data } = await trpc('admin.createTenant', {
    name: `Clinic ${slug}`, slug, timeZone: 'America/New_York', minNoticeMinutes: 0,
    resources: [{ name: 'Dr. A' }], services: [{ name: 'Consultation', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })), allowedOrigins: [],
  }, adminSecret);
  const secretKey = data.keys.secret.key;
  const services = await app.inject({ method: 'GET', url: '/trpc/services.list', headers: { authorization: `Bearer ${secretKey}` } });
  return { secretKey, serviceId: (services.json() as { result: { data: { id: string }[] } }).result.data[0]!.id };
}

describe('GET /metrics', () => {
  it('does not exist without the token (404), nor with a wrong one', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).statusCode).toBe(404);
  });

  it('counts a booking, its hold, the requests by route pattern, and reads the outbox and queue', async () => {
    const tenant = await onboard('metrics-clinic');
    const before = await scrape();
    const hold = await trpc('bookings.hold', { serviceId: tenant.serviceId, start: '2026-12-02T15:00:00Z', sessionId: 'metrics-session' }, tenant.secretKey);
    await trpc('bookings.confirm', { holdId: hold.data.id, sessionId: 'metrics-session', client: { name: 'Mia', email: 'mia@example.com' } }, tenant.secretKey);
    const after = await scrape();

    expect(sample(after, 'gomomo_bookings_total{action="created"}') - sample(before, 'gomomo_bookings_total{action="created"}')).toBe(1);
    expect(sample(after, 'gomomo_holds_total{outcome="placed"}') - sample(before, 'gomomo_holds_total{outcome="placed"}')).toBe(1);
    expect(sample(after, 'gomomo_http_requests_total{method="POST",route="/trpc/:path",status="200"}')).toBeGreaterThan(sample(before, 'gomomo_http_requests_total{method="POST",route="/trpc/:path",status="200"}'));
    expect(after).toMatch(/gomomo_http_request_duration_seconds_count\{method="POST",route="[^"]+"\} \d+/);
    expect(after).toContain('gomomo_queue_jobs_due ');
    expect(after).toContain('gomomo_outbox_oldest_pending_seconds ');
    // Never a raw URL (ids, keys, emails) as a label.
    expect(after).not.toContain('mia@example.com');
    expect(after).not.toContain(tenant.secretKey);
  });

  it('counts availability answers sent from reused bytes and from bytes serialised anew', async () => {
    const tenant = await onboard('metrics-availability');
    const url = `/trpc/availability.get?input=${encodeURIComponent(JSON.stringify({ serviceId: tenant.serviceId, from: '2026-12-02', to: '2026-12-04' }))}`;
    const ask = () => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tenant.secretKey}` } });
    await ask(); // loads the tenant's busy index: not yet cached
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await ask()).statusCode).toBe(200);
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('gomomo_availability_answers_total{bytes="serialized"}')).toBe(1);
    expect(delta('gomomo_availability_answers_total{bytes="reused"}')).toBe(2);
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const given = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'lb-0123456789abcdef' } });
    expect(given.headers['x-request-id']).toBe('lb-0123456789abcdef');
    const malformed = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(malformed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(none.statusCode).toBe(404);
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('correlation ids', () => {
  it('the domain events a request writes carry its request id; other requests\' do not', async () => {
    const tenant = await onboard('correlated-clinic');
    const headers = { 'x-request-id': 'corr-req-0123456789' };
    const hold = await trpc('bookings.hold', { serviceId: tenant.serviceId, start: '2026-12-02T16:00:00Z', sessionId: 'corr-session' }, tenant.secretKey, headers);
    expect(hold.response.headers['x-request-id']).toBe('corr-req-0123456789');
    await trpc('bookings.confirm', { holdId: hold.data.id, sessionId: 'corr-session', client: { name: 'Cy', email: 'cy@example.com' } }, tenant.secretKey);
    const { rows } = await db.pool.query<{ type: string; correlation_id: string | null }>(`SELECT type, correlation_id FROM domain_events WHERE session_id = 'corr-session' ORDER BY id`);
    const holdEvent = rows.find((row) => row.type === 'hold.created');
    const booked = rows.find((row) => row.type === 'booking.created');
    expect(holdEvent?.correlation_id).toBe('corr-req-0123456789');
    // The confirm was a request of its own: its generated id, not the hold's.
    expect(booked?.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
