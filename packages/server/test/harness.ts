import { createReceptionist, type CodeSender } from '@gomomo/agent';
import { createBookingEngine, createBusyIndex } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { appRouter, gomomoHostOptions, gomomoPlugin, type GomomoPluginOptions, type Receptionist } from '../src/index.js';

/** Every procedure path of the router with its type, read from the router itself. */
export const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } }>).map(([path, p]) => ({ path, type: p._def.type }));
const typeOf = new Map(procedures.map((p) => [p.path, p.type]));

export const adminSecret = 'test-admin-secret-0123456789';
/** Tuesday 1 December 2026, 08:00 in New York: the next days have open slots. */
export const startOfTest = '2026-12-01T13:00:00Z';

export interface TestTenant {
  id: string;
  secretKey: string;
  publishableKey: string;
  origin: string;
  serviceId: string;
  resourceId: string;
}

export interface Harness {
  db: TestDatabase;
  app: FastifyInstance;
  clock: ManualClock;
  /** Calls a tRPC procedure over HTTP (GET for queries, POST for mutations). */
  call(path: string, input: unknown, options?: CallOptions): Promise<LightMyRequestResponse>;
  onboard(slug: string, origin: string): Promise<TestTenant>;
  close(): Promise<void>;
}

export interface CallOptions {
  key?: string | null;
  origin?: string;
  type?: 'query' | 'mutation';
  headers?: Record<string, string>;
}

/** A tenant in New York, open weekdays 09:00–17:00 with two staff and a 30-minute service. */
export function tenantInput(slug: string, origin: string) {
  return {
    name: `Clinic ${slug}`,
    slug,
    timeZone: 'America/New_York',
    minNoticeMinutes: 0,
    resources: [{ name: 'Dr. A' }, { name: 'Dr. B' }],
    services: [{ name: 'Consultation', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
    allowedOrigins: [origin],
  };
}

export async function createHarness(options: Partial<GomomoPluginOptions> & { withReceptionist?: boolean; availabilityFromMemory?: boolean; codeSender?: CodeSender; catalogCacheMs?: number } = {}): Promise<Harness> {
  const { withReceptionist, availabilityFromMemory, codeSender, catalogCacheMs, ...pluginOptions } = options;
  const db = await createTestDatabase();
  const clock = new ManualClock(startOfTest);
  const app = Fastify({ logger: false, ...gomomoHostOptions() });
  const busyIndex = availabilityFromMemory ? createBusyIndex({ pool: db.pool }) : undefined;
  const engine = createBookingEngine({ pool: db.pool, clock, ...(busyIndex ? { busyIndex } : {}), ...(catalogCacheMs ? { catalogCacheMs } : {}) });
  // The real receptionist with its offline brain: chat procedures are tested end to end.
  const receptionist: Receptionist | undefined = withReceptionist
    ? createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock, ...(codeSender ? { codeSender } : {}) })
    : undefined;
  await app.register(gomomoPlugin, { pool: db.pool, engine, clock, adminSecret, rateLimit: false, ...(receptionist ? { receptionist } : {}), ...(busyIndex ? { busyIndex } : {}), ...pluginOptions });
  await app.ready();

  const call: Harness['call'] = (path, input, opts = {}) => {
    const type = opts.type ?? (typeOf.get(path) === 'mutation' ? 'mutation' : 'query');
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    if (opts.origin) headers.origin = opts.origin;
    if (type === 'query') {
      const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return app.inject({ method: 'GET', url: `/trpc/${path}${query}`, headers });
    }
    return app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(input ?? {}) });
  };

  const onboard: Harness['onboard'] = async (slug, origin) => {
    const response = await call('admin.createTenant', tenantInput(slug, origin), { key: adminSecret });
    if (response.statusCode !== 200) throw new Error(`onboarding failed: ${response.body}`);
    const { result } = response.json() as { result: { data: { tenant: { id: string }; keys: { secret: { key: string }; publishable: { key: string } } } } };
    const services = (await call('services.list', undefined, { key: result.data.keys.secret.key })).json() as { result: { data: { id: string; resourceIds: string[] }[] } };
    const service = services.result.data[0]!;
    return {
      id: result.data.tenant.id,
      secretKey: result.data.keys.secret.key,
      publishableKey: result.data.keys.publishable.key,
      origin,
      serviceId: service.id,
      resourceId: service.resourceIds[0]!,
    };
  };

  return {
    db,
    app,
    clock,
    call,
    onboard,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** The gomomo error inside a tRPC error response. */
export function trpcError(response: LightMyRequestResponse): { code: string; message: string; fields?: { field: string; message: string }[] } {
  const body = response.json() as { error: { message: string; data: { code: string; fields?: { field: string; message: string }[] } } };
  return { code: body.error.data.code, message: body.error.message, ...(body.error.data.fields ? { fields: body.error.data.fields } : {}) };
}

export function trpcData<T>(response: LightMyRequestResponse): T {
  if (response.statusCode !== 200) throw new Error(`expected 200, got ${response.statusCode}: ${response.body}`);
  return (response.json() as { result: { data: T } }).result.data;
}
