// Issue 18 item 4 through the hosted API: a resource's bookings as a secret ICS subscription URL
// (revocable, rate limited, cacheable, never logged), and outside ICS URLs registered as busy time
// with the tenant's secret key (refused when they point inside; the URL is never shown back).
import { randomBytes } from 'node:crypto';
import { systemClock } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { onboardTenant } from '@gomomo/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

let db: TestDatabase;
let app: FastifyInstance;
let tenant: { secretKey: string; publishableKey: string; resourceId: string };
let other: { secretKey: string; resourceId: string };
const logged: string[] = [];
const write = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  db = await createTestDatabase();
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  app = await buildApp(
    loadConfig({
      DATABASE_URL: db.url,
      ADMIN_SECRET: 'ics-admin-secret-123456',
      LOG_LEVEL: 'info',
      AUTONOMY_IN_API: 'false',
      PUBLIC_BASE_URL: 'https://api.example.test',
      GOMOMO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      ICS_FEED_REQUESTS_PER_MINUTE: '8',
    }),
  );
  await app.ready();
  const onboard = async (slug: string) => {
    const made = await onboardTenant(db.pool, { data: { name: slug, slug, timeZone: 'UTC', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [{ weekday: 1, opens: '09:00', closes: '17:00' }] }, clock: systemClock });
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1', [made.tenant.id]);
    return { secretKey: made.keys.secret.key, publishableKey: made.keys.publishable.key, resourceId: rows[0]!.id };
  };
  tenant = await onboard('ics-clinic');
  other = await onboard('ics-other-clinic');
}, 120_000);
afterAll(async () => {
  process.stdout.write = write;
  await app?.close();
  await db?.drop();
});

const asOwner = (key: string) => ({ authorization: `Bearer ${key}` });

describe('the ICS subscription feed through the API', () => {
  it('serves the feed at a secret URL with an ETag, and a revoked URL answers exactly like an unknown one', async () => {
    const created = await app.inject({ method: 'POST', url: '/v1/ics/subscriptions', headers: asOwner(tenant.secretKey), payload: { resourceId: tenant.resourceId } });
    expect(created.statusCode, created.body).toBe(201);
    const { url } = created.json() as { url: string };
    expect(url).toMatch(/^https:\/\/api\.example\.test\/v1\/ics\/ics_[A-Za-z0-9_-]{43}\.ics$/);
    const path = new URL(url).pathname;

    const feed = await app.inject({ method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.headers['cache-control']).toBe('private, max-age=300');
    expect(feed.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const unchanged = await app.inject({ method: 'GET', url: path, headers: { 'if-none-match': String(feed.headers.etag) } });
    expect(unchanged.statusCode).toBe(304);

    const unknown = await app.inject({ method: 'GET', url: `/v1/ics/ics_${randomBytes(32).toString('base64url')}.ics` });
    expect((await app.inject({ method: 'DELETE', url: `/v1/ics/subscriptions/${tenant.resourceId}`, headers: asOwner(tenant.secretKey) })).statusCode).toBe(204);
    const revoked = await app.inject({ method: 'GET', url: path });
    expect(revoked.statusCode).toBe(404);
    expect(revoked.body).toBe(unknown.body);
    expect(unknown.body).not.toContain('ics-clinic');

    // The token is the credential: it never reaches the request log.
    const token = path.slice('/v1/ics/'.length, -'.ics'.length);
    expect(logged.join('')).toContain('/v1/ics/ics_[redacted].ics');
    expect(logged.join('')).not.toContain(token);
  });

  it("refuses a publishable key, another tenant's resource and a malformed id, naming the field", async () => {
    const publishable = await app.inject({ method: 'POST', url: '/v1/ics/subscriptions', headers: asOwner(tenant.publishableKey), payload: { resourceId: tenant.resourceId } });
    expect(publishable.statusCode).toBe(403);
    const foreign = await app.inject({ method: 'POST', url: '/v1/ics/subscriptions', headers: asOwner(tenant.secretKey), payload: { resourceId: other.resourceId } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    expect(foreign.body).toContain('resourceId');
    const malformed = await app.inject({ method: 'POST', url: '/v1/ics/subscriptions', headers: asOwner(tenant.secretKey), payload: { resourceId: 'chair-1' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('resourceId');
    expect((await app.inject({ method: 'POST', url: '/v1/ics/subscriptions', payload: { resourceId: tenant.resourceId } })).statusCode).toBe(401);
  });

  it('rations feed requests per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await app.inject({ method: 'GET', url: '/v1/ics/ics_nothing-here.ics', remoteAddress: '203.0.113.9' })).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await app.inject({ method: 'GET', url: '/v1/ics/ics_nothing-here.ics', remoteAddress: '203.0.113.9' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/v1/ics/ics_nothing-here.ics', remoteAddress: '203.0.113.10' })).statusCode).toBe(404);
  });
});

describe('outside ICS URLs as busy time through the API', () => {
  it('registers an https feed, shows only its host, and removes it', async () => {
    const secretUrl = `https://calendar.example.com/private-${randomBytes(8).toString('hex')}/basic.ics`;
    const added = await app.inject({ method: 'POST', url: '/v1/ics/imports', headers: asOwner(tenant.secretKey), payload: { resourceId: tenant.resourceId, url: secretUrl } });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ resourceId: tenant.resourceId, host: 'calendar.example.com', fetchedAt: null });
    const listed = await app.inject({ method: 'GET', url: '/v1/ics/imports', headers: asOwner(tenant.secretKey) });
    expect((listed.json() as { imports: unknown[] }).imports).toHaveLength(1);
    for (const answer of [added, listed]) expect(answer.body).not.toContain('private-');
    expect((listed.json() as { imports: unknown[] }).imports).toEqual([added.json()]);
    expect((await app.inject({ method: 'GET', url: '/v1/ics/imports', headers: asOwner(other.secretKey) })).json()).toEqual({ imports: [] });
    const id = (added.json() as { id: string }).id;
    expect((await app.inject({ method: 'DELETE', url: `/v1/ics/imports/${id}`, headers: asOwner(other.secretKey) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/v1/ics/imports/${id}`, headers: asOwner(tenant.secretKey) })).statusCode).toBe(204);
  });

  it.each([
    ['http://calendar.example.com/cal.ics', /must use https/],
    ['https://169.254.169.254/latest/meta-data/', /metadata/],
    ['https://10.0.0.7/cal.ics', /private/],
    ['https://[::1]/cal.ics', /loopback/],
    ['not a url', /absolute https/],
  ])('refuses %s with a 400 naming the url', async (url, message) => {
    const refused = await app.inject({ method: 'POST', url: '/v1/ics/imports', headers: asOwner(tenant.secretKey), payload: { resourceId: tenant.resourceId, url } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    expect(refused.body).toMatch(message);
    expect(refused.body).toContain('url');
  });
});
