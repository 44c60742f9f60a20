// A real gomomo API for the console's browser tests: the server plugin with the offline
// receptionist on a fresh test database, on a real port, serving the console built from source
// at /console and the built widget at /widget.js.
import { mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOfflineBrain, createReceptionist } from '@gomomo/agent';
import { createBookingEngine } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { renderIcsSubscription } from '@gomomo/channels';
import { gomomoPlugin, type CalendarConnectOptions, type IcsConsoleOptions } from '@gomomo/server';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildConsole } from '../../scripts/bundle.js';

export const adminSecret = 'console-e2e-admin-secret-0123456789';
/** Tuesday 1 December 2026, 08:00 in New York: the clinic opens in an hour and the week is free. */
export const startOfTest = '2026-12-01T13:00:00Z';

export interface TestApi {
  db: TestDatabase;
  app: FastifyInstance;
  clock: ManualClock;
  origin: string;
  onboard(slug: string, allowedOrigins: string[]): Promise<{ tenantId: string; publishableKey: string; secretKey: string }>;
  close(): Promise<void>;
}

/** Builds the console from source into a temporary folder, so a stale dist/ never hides a change. */
export async function buildTestConsole(): Promise<string> {
  const outdir = await mkdtemp(path.join(tmpdir(), 'gomomo-console-'));
  await buildConsole({ outdir });
  return outdir;
}

export async function startApi(options: { calendars?: CalendarConnectOptions; ics?: Omit<IcsConsoleOptions, 'feedUrlOf'> } = {}): Promise<TestApi> {
  const consoleDir = await buildTestConsole();
  const widgetFile = createRequire(import.meta.url).resolve('@gomomo/widget/widget.js');
  const db = await createTestDatabase();
  const clock = new ManualClock(startOfTest);
  const engine = createBookingEngine({ pool: db.pool, clock });
  const policy = createPolicyEngine({ pool: db.pool, clock });
  const receptionist = createReceptionist({ pool: db.pool, engine, policy, clock, brain: createOfflineBrain() });
  const app = Fastify({ logger: false });
  // The feed URL's origin is known once the port is: the plugin reads it per call.
  let origin = '';
  const ics = options.ics ? { ...options.ics, feedUrlOf: (token: string) => `${origin}/v1/ics/${token}.ics` } : undefined;
  await app.register(gomomoPlugin, { pool: db.pool, engine, receptionist, clock, adminSecret, rateLimit: false, consoleDir, ...(options.calendars ? { calendars: options.calendars } : {}), ...(ics ? { ics } : {}) });
  // The subscription feed as the hosted app serves it (apps/api's GET /v1/ics/:file, without its rate limit).
  if (ics) {
    app.get('/v1/ics/:file', async (request, reply) => {
      const file = (request.params as { file: string }).file;
      const feed = file.endsWith('.ics') ? await renderIcsSubscription(db.pool, { token: file.slice(0, -4), now: clock.now() }) : null;
      if (!feed) return reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: 'No such feed' } });
      return reply.type('text/calendar; charset=utf-8').send(feed.ics);
    });
  }
  app.get('/widget.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(await readFile(widgetFile)));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the API did not bind a TCP port');
  origin = `http://127.0.0.1:${address.port}`;

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

  return {
    db,
    app,
    clock,
    origin,
    onboard,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
