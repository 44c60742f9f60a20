import { ManualClock } from '@gomomo/core/testing';
import type { Pool } from '@gomomo/core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { evalNow, ny, type Profile, type Seed } from './goal.js';

const adminSecret = 'eval-admin-secret-0123456789';

/** The real API (buildApp: the gomomo plugin, the receptionist, the policy) on a scratch database. */
export interface EvalApp {
  app: FastifyInstance;
  pool: Pool;
  /** Which brain answers: the offline one, or the model named by OPENAI_* in `env`. */
  brain: string;
  close(): Promise<void>;
}

export async function startEvalApp(options: { databaseUrl: string; env?: Record<string, string | undefined> }): Promise<EvalApp> {
  const env = options.env ?? {};
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl,
    ADMIN_SECRET: adminSecret,
    LOG_LEVEL: 'silent',
    AUTONOMY_IN_API: 'false',
    RATE_LIMIT_PER_KEY: '0',
    RATE_LIMIT_PER_IP: '0',
    // Read where the server knows it (per-visitor limits); customers here are simulated, not rationed.
    RATE_LIMIT_PER_VISITOR: '0',
    OPENAI_API_KEY: env.OPENAI_API_KEY,
    OPENAI_BASE_URL: env.OPENAI_BASE_URL,
    OPENAI_MODEL: env.OPENAI_MODEL,
  });
  const app = await buildApp(config, { clock: new ManualClock(evalNow) });
  await app.ready();
  return { app, pool: app.appInfo.database.pool, brain: config.OPENAI_API_KEY ? `model:${config.OPENAI_MODEL ?? 'default'}` : 'offline', close: () => app.close() };
}

/** One business onboarded through the admin API, with its keys. */
export interface EvalTenant {
  id: string;
  secretKey: string;
  publishableKey: string;
  origin: string;
  serviceId: string;
}

async function call<T>(evalApp: EvalApp, path: string, request: { input: unknown; headers: Record<string, string> }): Promise<T> {
  const { input, headers } = request;
  const response = await evalApp.app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(input) });
  if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
  return (response.json() as { result: { data: T } }).result.data;
}

const weekdays = [1, 2, 3, 4, 5];
const everyDay = [1, 2, 3, 4, 5, 6, 7];

/** Onboards a business in New York: two staff on weekdays (clinic), every day, or one staff member (solo). */
export async function onboard(evalApp: EvalApp, slug: string, profile: Profile): Promise<EvalTenant> {
  const origin = `https://${slug}.example`;
  const input = {
    name: `Clinic ${slug}`,
    slug,
    timeZone: 'America/New_York',
    minNoticeMinutes: 60,
    lookaheadDays: 60,
    resources: profile === 'solo' ? [{ name: 'Dr. Solo' }] : [{ name: 'Dr. Rivera' }, { name: 'Dr. Chen' }],
    services: [
      { name: 'Consultation', durationMinutes: 30 },
      { name: 'Follow-up', durationMinutes: 15 },
    ],
    hours: (profile === 'everyday' ? everyDay : weekdays).map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })),
    allowedOrigins: [origin],
  };
  const created = await call<{ tenant: { id: string }; keys: { secret: { key: string }; publishable: { key: string } } }>(evalApp, 'admin.createTenant', { input, headers: { authorization: `Bearer ${adminSecret}` } });
  const secretKey = created.keys.secret.key;
  const services = await evalApp.app.inject({ method: 'GET', url: '/trpc/services.list', headers: { authorization: `Bearer ${secretKey}` } });
  const list = (services.json() as { result: { data: Array<{ id: string; name: string }> } }).result.data;
  return { id: created.tenant.id, secretKey, publishableKey: created.keys.publishable.key, origin, serviceId: list.find((s) => s.name === 'Consultation')!.id };
}

/** A staff member's id by name (the API lists services' resource ids, not their names). */
async function findResourceId(evalApp: EvalApp, input: { tenant: EvalTenant; name: string }): Promise<string> {
  const { rows } = await evalApp.pool.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1 AND name = $2', [input.tenant.id, input.name]);
  if (!rows[0]) throw new Error(`no staff member "${input.name}" at ${input.tenant.id}`);
  return rows[0].id;
}

/** A booking made by staff through the API (hold, then confirm), with `seed.staff` when given. Resolves to its reference. */
export async function seedBooking(evalApp: EvalApp, tenant: EvalTenant, seed: Seed): Promise<string> {
  const headers = { authorization: `Bearer ${tenant.secretKey}` };
  const sessionId = `staff-seed-${seed.key}`;
  const resourceId = seed.staff ? await findResourceId(evalApp, { tenant, name: seed.staff }) : undefined;
  const hold = await call<{ id: string }>(evalApp, 'bookings.hold', { input: { serviceId: tenant.serviceId, start: ny(seed.at), sessionId, ...(resourceId ? { resourceId } : {}) }, headers });
  const booked = await call<{ reference: string }>(evalApp, 'bookings.confirm', { input: { holdId: hold.id, sessionId, client: { name: seed.name, email: seed.email } }, headers });
  return booked.reference;
}

/** One of the business's own answers, written through the tenant API (secret key). */
export async function writeAnswer(evalApp: EvalApp, tenant: EvalTenant, answer: { question: string; answer: string; language?: 'en' | 'es' }): Promise<void> {
  await call(evalApp, 'tenant.faq.create', { input: answer, headers: { authorization: `Bearer ${tenant.secretKey}` } });
}

/** One customer's side of a conversation: its ids once the server issued them, and its address. */
export interface Visitor {
  /** The client address the customer's requests come from (each customer is a visitor of its own). */
  address: string;
  sessionId?: string | undefined;
  /** Where the server issues session tokens, the conversation is named by its token from then on. */
  sessionToken?: string | undefined;
}

/** A customer's message through the public chat endpoint (publishable key, the site's origin). */
export async function sendChat(evalApp: EvalApp, tenant: EvalTenant, message: { text: string; visitor: Visitor }): Promise<{ reply: string; status: number }> {
  const { visitor } = message;
  const session = visitor.sessionToken ? { sessionToken: visitor.sessionToken } : visitor.sessionId ? { sessionId: visitor.sessionId } : {};
  const response = await evalApp.app.inject({
    method: 'POST',
    url: '/trpc/chat.send',
    remoteAddress: visitor.address,
    headers: { authorization: `Bearer ${tenant.publishableKey}`, origin: tenant.origin, 'content-type': 'application/json' },
    payload: JSON.stringify({ text: message.text, ...session }),
  });
  if (response.statusCode !== 200) return { reply: '', status: response.statusCode };
  const data = (response.json() as { result: { data: { reply: string; sessionId?: string; sessionToken?: string } } }).result.data;
  visitor.sessionId = data.sessionId ?? visitor.sessionId;
  visitor.sessionToken = data.sessionToken ?? visitor.sessionToken;
  return { reply: data.reply, status: 200 };
}

/** Gives the business's Consultation these intake questions, through the tenant API with its secret key. */
export async function defineIntake(evalApp: EvalApp, tenant: EvalTenant, questions: unknown[]): Promise<void> {
  await call(evalApp, 'tenant.setIntakeQuestions', { input: { serviceId: tenant.serviceId, questions }, headers: { authorization: `Bearer ${tenant.secretKey}` } });
}
