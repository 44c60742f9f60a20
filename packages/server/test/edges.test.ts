import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { gomomoPlugin } from '../src/index.js';
import { adminSecret, createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  h = await createHarness({ bodyLimit: 4096 });
  a = await h.onboard('edges-a', 'https://a.example');
  b = await h.onboard('edges-b', 'https://b.example');
});
afterAll(() => h.close());

describe('CORS', () => {
  it('answers a preflight from an origin some tenant allows, and not others', async () => {
    const preflight = (origin: string) =>
      h.app.inject({ method: 'OPTIONS', url: '/trpc/chat.send', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    const allowed = await preflight('https://a.example');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://a.example');
    expect(allowed.headers['access-control-allow-headers']).toContain('authorization');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('opens a response only to an origin of the key\'s own tenant', async () => {
    const own = await h.call('services.list', undefined, { key: a.secretKey, origin: 'https://a.example' });
    expect(own.headers['access-control-allow-origin']).toBe('https://a.example');
    const other = await h.call('services.list', undefined, { key: a.secretKey, origin: 'https://b.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key exceeds its limit, without slowing other keys', async () => {
    const app = Fastify();
    await app.register(gomomoPlugin, { pool: h.db.pool, clock: h.clock, adminSecret, rateLimit: { perKey: 3, perIp: 100, windowMs: 60_000 } });
    const get = (key: string) => app.inject({ method: 'GET', url: '/trpc/tenant.get', headers: { authorization: `Bearer ${key}` } });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await get(b.secretKey);
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(last!.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      expect((await get(a.secretKey)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('request bodies', () => {
  it('refuses a body over the cap with 413 in the one error shape', async () => {
    const response = await h.call('chat.send', { text: 'x'.repeat(5000) }, { key: a.secretKey });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers invalid input with 400 and the list of bad fields', async () => {
    const response = await h.call('availability.get', { serviceId: 'nope', from: 5 }, { key: a.secretKey });
    expect(response.statusCode).toBe(400);
    const error = trpcError(response);
    expect(error.code).toBe('VALIDATION');
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['from', 'serviceId', 'to']);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result for a repeated confirm and never books twice', async () => {
    const sessionId = 'idempotent-session';
    const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: a.serviceId, start: '2026-12-02T15:00:00Z', sessionId }, { key: a.secretKey }));
    const confirm = () =>
      h.call('bookings.confirm', { holdId: hold.id, sessionId, client: { name: 'Ana', email: 'ana@example.com' } }, { key: a.secretKey, headers: { 'idempotency-key': 'confirm-1' } });
    const first = trpcData<{ reference: string }>(await confirm());
    const second = trpcData<{ reference: string }>(await confirm());
    expect(second).toEqual(first);
    const { rows } = await h.db.pool.query('SELECT count(*)::int AS n FROM appointments WHERE tenant_id = $1', [a.id]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses the same key for a different request with 422', async () => {
    const response = await h.call('bookings.cancel', { reference: 'GM-00000' }, { key: a.secretKey, headers: { 'idempotency-key': 'confirm-1' } });
    expect(response.statusCode).toBe(422);
    expect(trpcError(response).code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('frees the key of a failed request so a retry really retries', async () => {
    const cancel = () => h.call('bookings.cancel', { reference: 'GM-ZZZZZ' }, { key: a.secretKey, headers: { 'idempotency-key': 'cancel-missing' } });
    expect((await cancel()).statusCode).toBe(404);
    expect((await cancel()).statusCode).toBe(404);
  });
});

describe('REST and OpenAPI', () => {
  it('serves an OpenAPI 3.1 document listing the REST routes', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    const document = response.json() as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/services', '/availability', '/holds', '/bookings', '/bookings/{reference}', '/chat/messages', '/admin/tenants']));
  });

  it('documents a response schema for every booking step', async () => {
    const document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    const steps = [['/holds', 'post'], ['/bookings', 'post'], ['/bookings/{reference}/reschedule', 'post'], ['/bookings/{reference}/cancel', 'post'], ['/bookings/{reference}', 'get']] as const;
    for (const [route, method] of steps) expect(document.paths[route]?.[method]?.responses['200']?.content, `${method} ${route}`).toBeDefined();
  });

  it('books over REST alone: hold, confirm, reschedule, cancel', async () => {
    const rest = (method: 'GET' | 'POST', url: string, payload?: object) =>
      h.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${a.secretKey}`, 'idempotency-key': `rest-${Math.random()}` }, ...(payload ? { payload } : {}) });
    const hold = await rest('POST', '/holds', { serviceId: a.serviceId, start: '2026-12-03T15:00:00Z', sessionId: 'rest-session-0001' });
    expect(hold.statusCode).toBe(200);
    const held = hold.json() as { id: string; status: string; expiresAt: string };
    expect(held).toMatchObject({ status: 'active', expiresAt: expect.any(String) });
    const booked = await rest('POST', '/bookings', { holdId: held.id, sessionId: 'rest-session-0001', client: { name: 'Zoë Ågren', email: 'zoe@example.com' } });
    expect(booked.statusCode).toBe(200);
    const { reference } = booked.json() as { reference: string };
    const moved = await rest('POST', `/bookings/${reference}/reschedule`, { newStart: '2026-12-03T16:00:00Z' });
    expect(moved.statusCode).toBe(200);
    const cancelled = await rest('POST', `/bookings/${reference}/cancel`, {});
    expect(cancelled.json()).toMatchObject({ reference, status: 'cancelled' });
  });

  it('serves availability over REST with the same auth', async () => {
    const ok = await h.app.inject({
      method: 'GET',
      url: `/api/v1/availability?serviceId=${a.serviceId}&from=2026-12-02&to=2026-12-02`,
      headers: { authorization: `Bearer ${a.secretKey}` },
    });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { slots: unknown[] }).slots.length).toBeGreaterThan(0);
  });

  it('answers REST errors in the one shape', async () => {
    const unauthorized = await h.app.inject({ method: 'GET', url: '/api/v1/services' });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Missing API key') } });
    const invalid = await h.app.inject({ method: 'GET', url: '/api/v1/availability?serviceId=x', headers: { authorization: `Bearer ${a.secretKey}` } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: 'VALIDATION', fields: expect.arrayContaining([{ field: 'serviceId', message: 'must be a UUID' }]) } });
  });
});
