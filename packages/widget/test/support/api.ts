// A real gomomo API for the browser tests: the server plugin with the offline receptionist on a
// fresh test database, listening on a real port, and serving the freshly built widget.js.
import { readFile } from 'node:fs/promises';
import { createReceptionist, createOfflineBrain, type Brain, type CodeSender } from '@gomomo/agent';
import { createBookingEngine } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { gomomoPlugin } from '@gomomo/server';
import Fastify, { type FastifyInstance } from 'fastify';

export const adminSecret = 'widget-e2e-admin-secret-0123456789';
/** Tuesday 1 December 2026, 08:00 in New York: the clinic opens in an hour and the week is free. */
export const startOfTest = '2026-12-01T13:00:00Z';

export interface TestApi {
  db: TestDatabase;
  app: FastifyInstance;
  origin: string;
  /** Onboards a clinic whose publishable key works from `allowedOrigins`. */
  onboard(slug: string, allowedOrigins: string[]): Promise<{ tenantId: string; publishableKey: string; secretKey: string }>;
  /** Calls a procedure with a secret key (tenant settings, seeding bookings); resolves to its data. */
  call<T>(path: string, input: unknown, key: string): Promise<T>;
  close(): Promise<void>;
}

export async function startApi(options: { widgetFile: string; brain?: Brain; database?: TestApi['db']; codeSender?: CodeSender }): Promise<TestApi> {
  // A benchmark brings its own database (it runs outside vitest).
  const db = options.database ?? (await createTestDatabase());
  const clock = new ManualClock(startOfTest);
  const engine = createBookingEngine({ pool: db.pool, clock });
  const policy = createPolicyEngine({ pool: db.pool, clock });
  const receptionist = createReceptionist({ pool: db.pool, engine, policy, clock, brain: options.brain ?? createOfflineBrain(), ...(options.codeSender ? { codeSender: options.codeSender } : {}) });
  const app = Fastify({ logger: false });
  await app.register(gomomoPlugin, { pool: db.pool, engine, receptionist, clock, adminSecret, rateLimit: false });
  // What apps/api does in production: the script tag's src points at the API itself.
  app.get('/widget.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(await readFile(options.widgetFile)));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the API did not bind a TCP port');
  const origin = `http://127.0.0.1:${address.port}`;

  async function onboard(slug: string, allowedOrigins: string[]) {
    const response = await fetch(`${origin}/trpc/admin.createTenant`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Demo Clinic',
        slug,
        timeZone: 'America/New_York',
        minNoticeMinutes: 0,
        resources: [{ name: 'Dr. Ana' }, { name: 'Dr. Ben' }],
        services: [{ name: 'Consultation', durationMinutes: 30 }],
        hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
        allowedOrigins,
      }),
    });
    const body = (await response.json()) as { result?: { data: { tenant: { id: string }; keys: { publishable: { key: string }; secret: { key: string } } } } };
    if (!response.ok || !body.result) throw new Error(`onboarding failed: ${JSON.stringify(body)}`);
    return { tenantId: body.result.data.tenant.id, publishableKey: body.result.data.keys.publishable.key, secretKey: body.result.data.keys.secret.key };
  }

  async function call<T>(path: string, input: unknown, key: string): Promise<T> {
    const response = await fetch(`${origin}/trpc/${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const body = (await response.json()) as { result?: { data: T } };
    if (!response.ok || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body)}`);
    return body.result.data;
  }

  return {
    db,
    app,
    origin,
    onboard,
    call,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
