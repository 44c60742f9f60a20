// Issue 18 through the hosted API: connecting Google Calendar with a tenant's secret key, against
// a fake Google speaking its OAuth and Calendar APIs. The refresh token must never appear in an
// answer, a log line or an audit row.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { systemClock } from '@gomomo/core';
import { onboardTenant } from '@gomomo/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../../packages/channels/test/fakes/fake-google.js';
import { startFakeGraph, type FakeGraph } from '../../../packages/channels/test/fakes/fake-graph.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

let db: TestDatabase;
let google: FakeGoogle;
let graph: FakeGraph;
let app: FastifyInstance;
let secretKey: string;
let otherKey: string;
let resourceId: string;
const logged: string[] = [];
const write = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  db = await createTestDatabase();
  google = await startFakeGoogle();
  graph = await startFakeGraph();
  // Every log line the app writes (fastify logs JSON to stdout) is kept to search for secrets.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  app = await buildApp(
    loadConfig({
      DATABASE_URL: db.url,
      ADMIN_SECRET: 'calendar-admin-secret-1234',
      LOG_LEVEL: 'info',
      AUTONOMY_IN_API: 'false',
      PUBLIC_BASE_URL: 'https://api.example.test',
      GOMOMO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_OAUTH_BASE_URL: google.authBaseUrl,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      GOOGLE_API_ROOT_URL: google.apiRootUrl,
      MICROSOFT_CLIENT_ID: graph.clientId,
      MICROSOFT_CLIENT_SECRET: graph.clientSecret,
      MICROSOFT_LOGIN_BASE_URL: graph.url,
      MICROSOFT_GRAPH_BASE_URL: graph.graphBaseUrl,
    }),
  );
  await app.ready();
  const onboard = (slug: string) =>
    onboardTenant(db.pool, { data: { name: slug, slug, timeZone: 'UTC', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [{ weekday: 1, opens: '09:00', closes: '17:00' }] }, clock: systemClock });
  const tenant = await onboard('calendar-clinic');
  secretKey = tenant.keys.secret.key;
  otherKey = (await onboard('other-clinic')).keys.secret.key;
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1', [tenant.tenant.id]);
  resourceId = rows[0]!.id;
}, 120_000);
afterAll(async () => {
  process.stdout.write = write;
  await app?.close();
  await google?.close();
  await graph?.close();
  await db?.drop();
});

describe('connecting Google Calendar through the API', () => {
  it('connects with the secret key, and the refresh token never shows in answers, logs or audit rows', async () => {
    const started = await app.inject({ method: 'POST', url: '/v1/calendars/google/connect', headers: { authorization: `Bearer ${secretKey}` }, payload: { resourceId } });
    expect(started.statusCode, started.body).toBe(200);
    const { authorizationUrl } = started.json() as { authorizationUrl: string };
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe('https://api.example.test/v1/calendars/google/callback');
    const { code, state } = google.consent(authorizationUrl);

    const landing = await app.inject({ method: 'GET', url: `/v1/calendars/google/callback?state=${encodeURIComponent(state)}&code=${encodeURIComponent(code)}` });
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain('/v1/calendars/google/callback');

    // Another tenant's key cannot finish this tenant's flow.
    const stolen = await app.inject({ method: 'POST', url: '/v1/calendars/google/callback', headers: { authorization: `Bearer ${otherKey}` }, payload: { state, code } });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json()).toMatchObject({ error: { code: 'VALIDATION' } });

    const again = await app.inject({ method: 'POST', url: '/v1/calendars/google/connect', headers: { authorization: `Bearer ${secretKey}` }, payload: { resourceId } });
    const retry = google.consent((again.json() as { authorizationUrl: string }).authorizationUrl);
    const finished = await app.inject({ method: 'POST', url: '/v1/calendars/google/callback', headers: { authorization: `Bearer ${secretKey}` }, payload: retry });
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({ resourceId, provider: 'google', status: 'active' });

    const token = google.refreshTokens.at(-1)!;
    for (const answer of [started, landing, stolen, again, finished]) expect(answer.body).not.toContain(token);
    // The capture works: the requests themselves were logged.
    expect(logged.join('')).toContain('/v1/calendars/google/callback');
    expect(logged.join('')).not.toContain(token);
    const { rows } = await db.pool.query<{ dump: string | null }>('SELECT string_agg(a::text, \' \') AS dump FROM audit_log a');
    expect(rows[0]!.dump ?? '').not.toContain(token);
  });

  it('connects a Microsoft 365 calendar the same way', async () => {
    const started = await app.inject({ method: 'POST', url: '/v1/calendars/microsoft/connect', headers: { authorization: `Bearer ${secretKey}` }, payload: { resourceId } });
    expect(started.statusCode, started.body).toBe(200);
    const consent = graph.consent((started.json() as { authorizationUrl: string }).authorizationUrl);
    const finished = await app.inject({ method: 'POST', url: '/v1/calendars/microsoft/callback', headers: { authorization: `Bearer ${secretKey}` }, payload: consent });
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({ resourceId, provider: 'microsoft', calendarId: graph.mailbox, status: 'active' });
    expect(finished.body).not.toContain(graph.refreshTokens.at(-1)!);
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const missing = await app.inject({ method: 'POST', url: '/v1/calendars/google/connect', headers: { authorization: `Bearer ${secretKey}` }, payload: { resourceId: 'nope' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('resourceId');
    const unknown = await app.inject({ method: 'POST', url: '/v1/calendars/google/connect', headers: { authorization: `Bearer ${secretKey}` }, payload: { resourceId: '6f1c2a8e-1d4b-4e5f-8a9b-0c1d2e3f4a5b' } });
    expect(unknown.statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'POST', url: '/v1/calendars/google/connect', payload: { resourceId } });
    expect(anonymous.statusCode).toBe(401);
  });
});
