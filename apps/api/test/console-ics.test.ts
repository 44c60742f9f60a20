// The hosted app wires the console's ICS feeds (`console.ics.*`) to its own feed route: a feed
// address made in the console points at PUBLIC_BASE_URL's `/v1/ics/<token>.ics` and is served
// there; the console's and the REST routes' outside feeds are one list; revoking in the console
// makes the address answer 404.
import { randomBytes } from 'node:crypto';
import { systemClock } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { onboardTenant } from '@gomomo/server';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const adminSecret = 'console-ics-admin-secret-123456';
let db: TestDatabase;
let app: FastifyInstance;
let resourceId: string;
let secretKey: string;
let owner: { cookie: string; csrf: string };

function data<T>(response: LightMyRequestResponse): T {
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { result: { data: T } }).result.data;
}

const asOwner = (path: string, input?: unknown, method: 'GET' | 'POST' = 'POST') =>
  method === 'GET'
    ? app.inject({ method, url: `/trpc/${path}`, headers: { cookie: owner.cookie } })
    : app.inject({ method, url: `/trpc/${path}`, headers: { cookie: owner.cookie, 'x-gomomo-csrf': owner.csrf }, payload: input ?? {} });

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp(
    loadConfig({
      DATABASE_URL: db.url,
      ADMIN_SECRET: adminSecret,
      LOG_LEVEL: 'silent',
      AUTONOMY_IN_API: 'false',
      PUBLIC_BASE_URL: 'https://api.example.test',
      GOMOMO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      ICS_ALLOW_LOOPBACK_URLS: 'true',
    }),
  );
  await app.ready();
  const onboarded = await onboardTenant(db.pool, {
    data: { name: 'ICS Console', slug: 'ics-console', timeZone: 'UTC', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [{ weekday: 1, opens: '09:00', closes: '17:00' }] },
    clock: systemClock,
  });
  secretKey = onboarded.keys.secret.key;
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1', [onboarded.tenant.id]);
  resourceId = rows[0]!.id;
  const created = await app.inject({ method: 'POST', url: '/trpc/console.auth.createFirstOwner', headers: { authorization: `Bearer ${adminSecret}`, 'x-gomomo-csrf': '1' }, payload: { tenantId: onboarded.tenant.id, email: 'owner@ics.example', name: 'Ida Owner', password: 'owner password 1' } });
  expect(created.statusCode, created.body).toBe(200);
  const signedIn = await app.inject({ method: 'POST', url: '/trpc/console.auth.signIn', headers: { 'x-gomomo-csrf': '1' }, payload: { tenant: 'ics-console', email: 'owner@ics.example', password: 'owner password 1' } });
  const header = signedIn.headers['set-cookie'];
  owner = { cookie: String(Array.isArray(header) ? header[0] : header).split(';')[0]!, csrf: data<{ csrfToken: string }>(signedIn).csrfToken };
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('ICS feeds from the console in the hosted app', () => {
  it('serves a console-made feed address at PUBLIC_BASE_URL, and 404s it once revoked in the console', async () => {
    const { url } = data<{ url: string }>(await asOwner('console.ics.createFeed', { resourceId }));
    expect(url).toMatch(/^https:\/\/api\.example\.test\/v1\/ics\/ics_[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await app.inject({ method: 'GET', url: new URL(url).pathname });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.body).toMatch(/^BEGIN:VCALENDAR/);
    data(await asOwner('console.ics.revokeFeed', { resourceId }));
    expect((await app.inject({ method: 'GET', url: new URL(url).pathname })).statusCode).toBe(404);
  });

  it('shows an outside feed added in the console in the REST list, host only', async () => {
    const added = data<{ id: string; host: string }>(await asOwner('console.ics.addImport', { resourceId, url: 'http://127.0.0.1:9/busy.ics?token=s3cr3t' }));
    expect(added.host).toBe('127.0.0.1:9');
    const listed = await app.inject({ method: 'GET', url: '/v1/ics/imports', headers: { authorization: `Bearer ${secretKey}` } });
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { imports: { id: string }[] }).imports.map((i) => i.id)).toEqual([added.id]);
    expect(listed.body).not.toContain('s3cr3t');
  });
});
