// Availability through the lean path (issue 15): the bytes serialised for an answer are sent again
// for as long as core says the answer is exact, with an ETag; a booking changes them. Everything the
// lean path cannot answer exactly as tRPC and REST would (no key, a bad query, a foreign origin,
// another tenant's service) falls through to them and is answered in the one error format.
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../src/http/availability-fast-path.js';
import { gomomoPlugin } from '../src/plugin.js';
import { adminSecret, createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  h = await createHarness({ availabilityFromMemory: true, catalogCacheMs: 60_000 });
  a = await h.onboard('lean-a', 'https://lean-a.example');
  b = await h.onboard('lean-b', 'https://lean-b.example');
});
afterAll(() => h.close());

type Availability = { slots: { start: string; resourceIds: string[] }[] };
const day = (tenant: TestTenant, date = '2026-12-02') => ({ serviceId: tenant.serviceId, from: date, to: date });
const stats = () => ({ ...h.app.gomomo.availabilityAnswers });

/** Asks until the answer comes from bytes serialised before (the first question of a tenant loads its index). */
async function cachedAnswer(input: unknown, key: string, headers: Record<string, string> = {}) {
  await h.call('availability.get', input, { key, headers });
  await h.call('availability.get', input, { key, headers });
  const before = stats();
  const response = await h.call('availability.get', input, { key, headers });
  expect(stats().reused).toBe(before.reused + 1);
  return response;
}

describe('the availability fast path', () => {
  it('sends the bytes tRPC would send, serialised once for every request that asks the same', async () => {
    const cached = await cachedAnswer(day(a), a.secretKey);
    const batched = await h.app.inject({ method: 'GET', url: `/trpc/availability.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: day(a) }))}`, headers: { authorization: `Bearer ${a.secretKey}` } });
    expect(cached.statusCode).toBe(200);
    expect(cached.headers['content-type']).toMatch(/^application\/json/);
    expect(cached.body).toBe(batched.body.slice(1, -1)); // a batch wraps the same answer in [ ]
    const rest = await h.app.inject({ method: 'GET', url: `/api/v1/availability?serviceId=${a.serviceId}&from=2026-12-02&to=2026-12-02`, headers: { authorization: `Bearer ${a.secretKey}` } });
    expect(rest.json()).toEqual(trpcData(cached));
  });

  it('a cached availability answer does not offer a slot booked since, and its ETag changes with it', async () => {
    const input = day(a, '2026-12-03');
    const cached = await cachedAnswer(input, a.secretKey);
    const etag = cached.headers.etag as string;
    const first = trpcData<Availability>(cached).slots[0]!;
    expect((await h.call('availability.get', input, { key: a.secretKey, headers: { 'if-none-match': etag } })).statusCode).toBe(304);

    const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: a.serviceId, start: first.start, resourceId: a.resourceId, sessionId: 'lean-session' }, { key: a.secretKey }));
    await h.call('bookings.confirm', { holdId: hold.id, sessionId: 'lean-session', client: { name: 'Lean', email: 'lean@example.com' } }, { key: a.secretKey });
    // The index learns of the booking through the event hub's notification, moments later.
    let after = await h.call('availability.get', input, { key: a.secretKey, headers: { 'if-none-match': etag } });
    for (let i = 0; i < 200 && after.statusCode === 304; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      after = await h.call('availability.get', input, { key: a.secretKey, headers: { 'if-none-match': etag } });
    }
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(trpcData<Availability>(after).slots.find((s) => s.start === first.start)?.resourceIds ?? []).not.toContain(a.resourceId);
  });

  it('sends the answer gzipped to a client that accepts gzip, the same bytes once decoded', async () => {
    const plain = await cachedAnswer(day(a), a.secretKey);
    const zipped = await h.call('availability.get', day(a), { key: a.secretKey, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
  });

  it('the gzip and the plain bytes of one answer carry different strong ETags, each answered 304 in its own encoding', async () => {
    const gzip = { 'accept-encoding': 'gzip' };
    const plain = await cachedAnswer(day(a), a.secretKey);
    const zipped = await h.call('availability.get', day(a), { key: a.secretKey, headers: gzip });
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(zipped.headers.vary).toContain('X-Api-Key');
    expect((await h.call('availability.get', day(a), { key: a.secretKey, headers: { ...gzip, 'if-none-match': String(zipped.headers.etag) } })).statusCode).toBe(304);
    expect((await h.call('availability.get', day(a), { key: a.secretKey, headers: { 'if-none-match': String(plain.headers.etag) } })).statusCode).toBe(304);
    expect((await h.call('availability.get', day(a), { key: a.secretKey, headers: { 'if-none-match': String(zipped.headers.etag) } })).statusCode).toBe(200);
  });

  it.each([
    ['gzip', true],
    ['br;q=1, gzip;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['*, gzip;q=0', false],
    ['*;q=0.5, x-gzip;q=0', false],
    ['*;q=0', false],
    ['br, deflate', false],
    ['identity', false],
  ])('reads Accept-Encoding %j as accepting gzip: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('a client that accepts any coding but gzip (`*, gzip;q=0`) gets the answer unencoded', async () => {
    const plain = await cachedAnswer(day(a), a.secretKey);
    const refused = await h.call('availability.get', day(a), { key: a.secretKey, headers: { 'accept-encoding': '*, gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it("one tenant's cached answer is never served to another", async () => {
    await cachedAnswer(day(a), a.secretKey);
    // Tenant B asks the very same question, even naming tenant A in the input: A's service is not B's.
    const asB = await h.call('availability.get', { ...day(a), tenantId: a.id }, { key: b.secretKey });
    expect(asB.statusCode).toBe(404);
    expect(trpcError(asB)).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(a.serviceId) });
    const restAsB = await h.app.inject({ method: 'GET', url: `/api/v1/availability?serviceId=${a.serviceId}&from=2026-12-02&to=2026-12-02&tenantId=${a.id}`, headers: { authorization: `Bearer ${b.secretKey}` } });
    expect(restAsB.statusCode).toBe(404);
    expect(restAsB.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    // B's own answer names only B's resources, and A's validator is no 304 for it.
    const own = await cachedAnswer(day(b), b.secretKey);
    expect(trpcData<Availability>(own).slots[0]!.resourceIds.every((id) => id !== a.resourceId)).toBe(true);
    const withEtagOfA = await h.call('availability.get', day(b), { key: b.secretKey, headers: { 'if-none-match': String((await cachedAnswer(day(a), a.secretKey)).headers.etag) } });
    expect(withEtagOfA.statusCode).toBe(200);
    expect(withEtagOfA.body).toBe(own.body);
  });

  it('leaves what it cannot answer exactly to tRPC: no key, a bad query, a publishable key from a foreign origin', async () => {
    const missing = await h.call('availability.get', day(a), { key: null });
    expect(missing.statusCode).toBe(401);
    expect(trpcError(missing).code).toBe('UNAUTHORIZED');
    const invalid = await h.call('availability.get', { ...day(a), from: '2026-13-45' }, { key: a.secretKey });
    expect(invalid.statusCode).toBe(400);
    expect(trpcError(invalid)).toMatchObject({ code: 'VALIDATION', fields: expect.arrayContaining([expect.objectContaining({ field: 'from' })]) });
    const foreign = await h.call('availability.get', day(a), { key: a.publishableKey, origin: 'https://elsewhere.example' });
    expect(foreign.statusCode).toBe(403);
    const allowed = await h.call('availability.get', day(a), { key: a.publishableKey, origin: a.origin });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(a.origin);
  });

  it('leaves to tRPC a call that asks for a streamed answer without a batch, which tRPC refuses', async () => {
    await cachedAnswer(day(a), a.secretKey);
    for (const path of ['availability.get', 'availability.compact']) {
      for (const streaming of [{ 'trpc-accept': 'application/jsonl' }, { accept: 'application/jsonl' }] as Record<string, string>[]) {
        const before = stats();
        const streamed = await h.call(path, day(a), { key: a.secretKey, headers: streaming });
        expect(streamed.statusCode).toBe(400);
        expect(trpcError(streamed).message).toBe('Streaming requests must be batched (you can do a batch of 1)');
        expect(stats()).toEqual(before);
      }
    }
  });

  it('counts an availability request against the rate limits like any other', async () => {
    const app = Fastify();
    await app.register(gomomoPlugin, { pool: h.db.pool, clock: h.clock, adminSecret, rateLimit: { perKey: 2, perIp: 100, windowMs: 60_000 } });
    const url = `/trpc/availability.get?input=${encodeURIComponent(JSON.stringify(day(a)))}`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${a.secretKey}` } })).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
