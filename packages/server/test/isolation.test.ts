import { issueOfferLink } from '@gomomo/agent';
import { withTenant } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/index.js';
import { toOpaqueDeps } from '../src/trpc/context.js';
import { adminSecret, createHarness, procedures, trpcData, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
let sessionB: string;
let tokenB: string;
let tokenA: string;
let bookingB: { reference: string; id: string };
let holdB: { id: string };
let waitlistB: { id: string };
let faqB: { id: string };
let offerTokenB: string;

/** Everything of tenant B that a leak could show or a write could change. */
async function snapshotOfB(): Promise<unknown> {
  const tables = ['tenants', 'services', 'resources', 'appointments', 'holds', 'waitlist_entries', 'api_keys', 'allowed_origins', 'domain_events', 'idempotency_keys', 'phone_numbers', 'agent_faq_entries', 'service_intake_questions', 'intake_answers', 'agent_device_tokens', 'date_overrides', 'ics_subscriptions', 'ics_imports'];
  const snapshot: Record<string, unknown> = {};
  for (const table of tables) {
    const column = table === 'tenants' ? 'id' : 'tenant_id';
    const { rows } = await h.db.pool.query(`SELECT * FROM ${table} WHERE ${column} = $1 ORDER BY 1`, [b.id]);
    snapshot[table] = rows.map((row: Record<string, unknown>) => ({ ...row, last_used_at: undefined }));
  }
  return snapshot;
}

/** Tenant A's call for every procedure, aimed at tenant B's ids. A new procedure without an entry fails the walk. */
function inputsAgainstB(): Record<string, unknown> {
  return {
    'chat.send': { sessionId: sessionB, text: 'show me my booking' },
    'chat.history': { sessionId: sessionB },
    'chat.events': {},
    'chat.eventsSince': { sessionId: sessionB, afterId: 0 },
    'chat.streamTicket': { sessionId: sessionB },
    'chat.openOffer': { offerToken: offerTokenB },
    'devices.remember': { sessionId: sessionB },
    'devices.forget': { deviceToken: `gmd_${'B'.repeat(43)}` },
    'devices.revokeForCustomer': { email: 'bea@example.com' },
    'widget.config': undefined,
    'services.list': undefined,
    'availability.get': { serviceId: b.serviceId, from: '2026-12-02', to: '2026-12-02' },
    'availability.compact': { serviceId: b.serviceId, from: '2026-12-02', to: '2026-12-02' },
    'bookings.list': {},
    'bookings.get': { reference: bookingB.reference },
    'bookings.hold': { serviceId: b.serviceId, start: '2026-12-02T16:00:00Z', resourceId: b.resourceId, sessionId: sessionB },
    'bookings.confirm': { holdId: holdB.id, sessionId: sessionB, client: { name: 'Mallory', email: 'm@example.com' } },
    'bookings.cancel': { reference: bookingB.reference },
    'bookings.reschedule': { reference: bookingB.reference, newStart: '2026-12-03T15:00:00Z' },
    'waitlist.list': { serviceId: b.serviceId },
    'waitlist.join': { serviceId: b.serviceId, windowStart: '2026-12-04', windowEnd: '2026-12-05', client: { name: 'Mallory', email: 'm@example.com' } },
    'tenant.get': undefined,
    'tenant.update': { allowedOrigins: ['https://evil.example'] },
    'tenant.updateService': { serviceId: b.serviceId, changeDeadlineHours: 700 },
    'tenant.faq.list': undefined,
    'tenant.faq.create': { question: 'Is there parking?', answer: 'No.' },
    'tenant.faq.update': { id: faqB.id, question: 'Is there parking?', answer: 'No.' },
    'tenant.faq.delete': { id: faqB.id },
    'tenant.setIntakeQuestions': { serviceId: b.serviceId, questions: [{ key: 'x', kind: 'text', required: true, prompt: { en: 'Mallory?' } }] },
    'tenant.intakeQuestions': { serviceId: b.serviceId },
    'tenant.intakeAnswers': { reference: bookingB.reference },
    'tenant.updateIntakeAnswer': { reference: bookingB.reference, questionKey: 'x', answer: 'Mallory' },
    'admin.createTenant': { name: 'x' },
    'admin.createKey': { tenantId: b.id, kind: 'secret' },
    'admin.listKeys': { tenantId: b.id },
    'admin.revokeKey': { tenantId: b.id, keyId: '00000000-0000-4000-8000-000000000000' },
    'admin.addPhoneNumber': { tenantId: b.id, number: '+12025550199' },
    'admin.listPhoneNumbers': { tenantId: b.id },
    // The console answers only a staff session (a cookie), never an API key: each of these is a 401
    // or 403 here; test/console/security.test.ts aims staff sessions of A at B's ids.
    'console.auth.createFirstOwner': { tenantId: b.id, email: 'm@example.com', name: 'Mallory', password: 'mallory password' },
    'console.auth.signIn': { tenant: 'tenant-b', email: 'bea@example.com', password: 'guess guess' },
    'console.auth.acceptInvite': { token: 'x'.repeat(43), name: 'Mallory', password: 'mallory password' },
    'console.auth.me': undefined,
    'console.auth.signOut': undefined,
    'console.auth.signOutEverywhere': undefined,
    'console.auth.invite': { email: 'm@example.com', role: 'owner' },
    'console.bookings.grid': { from: '2026-12-02', days: 7 },
    'console.bookings.create': { serviceId: b.serviceId, start: '2026-12-02T18:00:00Z', client: { name: 'Mallory' } },
    'console.bookings.move': { reference: bookingB.reference, newStart: '2026-12-03T15:00:00Z' },
    'console.bookings.cancel': { reference: bookingB.reference },
    'console.bookings.slots': { serviceId: b.serviceId, date: '2026-12-02' },
    'console.bookings.events': undefined,
    'console.calendars.list': undefined,
    'console.calendars.connect': { resourceId: b.resourceId, provider: 'google' },
    'console.calendars.disconnect': { resourceId: b.resourceId, provider: 'google' },
    'console.ics.list': undefined,
    'console.ics.createFeed': { resourceId: b.resourceId },
    'console.ics.revokeFeed': { resourceId: b.resourceId },
    'console.ics.addImport': { resourceId: b.resourceId, url: 'https://evil.example/b.ics' },
    'console.ics.refreshImport': { id: '00000000-0000-4000-8000-000000000000' },
    'console.ics.removeImport': { id: '00000000-0000-4000-8000-000000000000' },
    'console.customers.forgetDevices': { reference: bookingB.reference },
    'console.messages.list': {},
    'console.messages.retry': { messageId: '00000000-0000-4000-8000-000000000000' },
    'console.audit.list': {},
    'console.audit.verify': undefined,
    'console.settings.get': undefined,
    'console.settings.saveHours': { hours: [] },
    'console.settings.saveOverrides': { overrides: [] },
    'console.settings.saveBooking': { lookaheadDays: 1 },
    'console.settings.saveService': { serviceId: b.serviceId, changeDeadlineHours: 700 },
    'console.settings.saveOrigins': { allowedOrigins: ['https://evil.example'] },
    'console.settings.keys': undefined,
    'console.settings.createKey': { kind: 'secret' },
    'console.settings.revokeKey': { keyId: '00000000-0000-4000-8000-000000000000' },
    'console.settings.phoneNumbers': undefined,
    'console.settings.addPhoneNumber': { number: '+12025550199' },
    'console.settings.staff': undefined,
    'console.settings.updateStaff': { staffId: '00000000-0000-4000-8000-000000000000', isDisabled: true },
    'console.killSwitches.list': undefined,
    'console.killSwitches.set': { family: '*', isOn: true },
    'console.catalog.list': undefined,
    'console.catalog.createService': { name: 'Mallory cut', durationMinutes: 30 },
    'console.catalog.editService': { serviceId: b.serviceId, isActive: false },
    'console.catalog.createResource': { name: 'Mallory' },
    'console.catalog.editResource': { resourceId: b.resourceId, isActive: false },
    'console.catalog.setResourceServices': { resourceId: b.resourceId, serviceIds: [] },
    'console.catalog.resourceOverrides': { resourceId: b.resourceId },
    'console.catalog.saveResourceOverrides': { resourceId: b.resourceId, overrides: [{ date: '2026-12-02' }] },
    'console.quietHours.get': undefined,
    'console.quietHours.set': { sendFrom: '00:00', sendUntil: '23:59' },
    // The inbox: staff of A against B's conversations in test/console/inbox.test.ts.
    'console.inbox.list': {},
    'console.inbox.get': { sessionId: sessionB },
    'console.inbox.export': { sessionId: sessionB },
    'console.inbox.takeOver': { sessionId: sessionB },
    'console.inbox.reply': { sessionId: sessionB, text: 'hello' },
    'console.inbox.handBack': { sessionId: sessionB },
    'console.inbox.events': undefined,
  };
}

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  a = await h.onboard('tenant-a', 'https://a.example');
  b = await h.onboard('tenant-b', 'https://b.example');
  // B's conversation, started by the server; its session id and token are what A aims at below.
  const started = trpcData<{ sessionId: string; sessionToken: string }>(await h.call('chat.send', { text: 'Hello, I am Bea' }, { key: b.secretKey }));
  sessionB = started.sessionId;
  tokenB = started.sessionToken;
  tokenA = trpcData<{ sessionToken: string }>(await h.call('chat.send', { text: 'Hello' }, { key: a.secretKey })).sessionToken;
  const hold = trpcData<{ id: string }>(
    await h.call('bookings.hold', { serviceId: b.serviceId, start: '2026-12-02T15:00:00Z', resourceId: b.resourceId, sessionId: sessionB }, { key: b.secretKey }),
  );
  bookingB = trpcData(await h.call('bookings.confirm', { holdId: hold.id, sessionId: sessionB, client: { name: 'Bea', email: 'bea@example.com' } }, { key: b.secretKey }));
  holdB = trpcData(await h.call('bookings.hold', { serviceId: b.serviceId, start: '2026-12-02T17:00:00Z', resourceId: b.resourceId, sessionId: sessionB }, { key: b.secretKey }));
  // A live offer link of B's (as from B's offer email): A's keys must not open it.
  offerTokenB = await withTenant(h.db.pool, b.id, (client) => issueOfferLink(client, { tenantId: b.id, holdId: holdB.id, expiresAt: new Date('2026-12-31T00:00:00Z'), now: new Date('2026-01-01T00:00:00Z') }));
  trpcData(await h.call('admin.addPhoneNumber', { tenantId: b.id, number: '+12025550142', label: 'front desk' }, { key: adminSecret }));
  // B's staff member's day off and B's ICS feed address: the console's writes aimed at them must leave them.
  await h.db.pool.query(`INSERT INTO date_overrides (tenant_id, resource_id, on_date, reason) VALUES ($1, $2, '2026-12-09', 'day off')`, [b.id, b.resourceId]);
  await h.db.pool.query(`INSERT INTO ics_subscriptions (tenant_id, resource_id, token_hash) VALUES ($1, $2, repeat('b', 64))`, [b.id, b.resourceId]);
  faqB = trpcData(await h.call('tenant.faq.create', { question: 'Where do I park?', answer: 'Bea parks behind tenant-b.' }, { key: b.secretKey }));
  waitlistB = trpcData(
    await h.call('waitlist.join', { serviceId: b.serviceId, windowStart: '2026-12-04', windowEnd: '2026-12-05', client: { name: 'Bea', email: 'bea@example.com' }, sessionId: sessionB }, { key: b.secretKey }),
  );
});
afterAll(() => h.close());

describe('tenant isolation', () => {
  it('has an input aimed at tenant B for every procedure of the router', () => {
    expect(Object.keys(inputsAgainstB()).sort()).toEqual(procedures.map((p) => p.path).sort());
  });

  it('reads and changes nothing of tenant B through any procedure called with tenant A\'s keys', async () => {
    const before = await snapshotOfB();
    const secretsOfB = [tokenB, b.id, b.serviceId, b.resourceId, bookingB.reference, bookingB.id, holdB.id, waitlistB.id, 'bea@example.com', 'Bea', 'I am Bea', 'Clinic tenant-b', 'https://b.example', '+12025550142', faqB.id, 'Bea parks behind tenant-b.'];
    for (const { path, type } of procedures) {
      if (type === 'subscription') continue;
      const input = inputsAgainstB()[path];
      for (const [key, origin] of [[a.secretKey, undefined], [a.publishableKey, a.origin]] as const) {
        const response = await h.call(path, input, { key, ...(origin ? { origin } : {}) });
        const leaked = secretsOfB.filter((secret) => response.body.includes(secret) && !JSON.stringify(input ?? '').includes(secret));
        expect({ path, key: key.slice(0, 3), leaked }).toEqual({ path, key: key.slice(0, 3), leaked: [] });
        expect({ path, status: response.statusCode }).not.toEqual({ path, status: 500 });
        if (path.startsWith('chat.')) {
          // B's session token (say, from a log) in A's hands: refused like any unknown token.
          const { sessionId: _id, ...rest } = (input ?? {}) as Record<string, unknown>;
          const withToken = await h.call(path, rest, { key, ...(origin ? { origin } : {}), headers: { 'x-gomomo-session': tokenB } });
          expect({ path, status: withToken.statusCode }).toEqual({ path, status: 404 });
          expect(secretsOfB.filter((secret) => withToken.body.includes(secret))).toEqual([]);
        }
        if (response.statusCode === 200) {
          // A success must be about tenant A only (e.g. an empty list, A's own settings).
          expect(response.body).not.toContain(b.id);
        }
      }
    }
    expect(await snapshotOfB()).toEqual(before);
  });

  it('sends tenant A\'s subscriber none of B\'s events, while B\'s own subscriber gets them', async () => {
    const controller = new AbortController();
    const subscribe = async (key: string, token: string) => {
      const { ticket } = trpcData<{ ticket: string }>(await h.call('chat.streamTicket', {}, { key, headers: { 'x-gomomo-session': token } }));
      const context = { deps: toOpaqueDeps(h.app.gomomo.deps), credential: null, origin: null, idempotencyKey: null, clientAddress: '127.0.0.1', streamTicket: ticket };
      const caller = appRouter.createCaller(context, { signal: controller.signal });
      const iterator = (await caller.chat.events({}))[Symbol.asyncIterator]();
      return { iterator, next: iterator.next() };
    };
    const ofA = await subscribe(a.secretKey, tokenA);
    const ofB = await subscribe(b.secretKey, tokenB);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await h.call('bookings.hold', { serviceId: b.serviceId, start: '2026-12-02T18:00:00Z', resourceId: b.resourceId, sessionId: sessionB }, { key: b.secretKey });
    const timeout = new Promise((resolve) => setTimeout(() => resolve('nothing'), 500));
    const [gotA, gotB] = await Promise.all([Promise.race([ofA.next, timeout]), Promise.race([ofB.next, timeout])]);
    expect(gotA).toBe('nothing');
    expect(JSON.stringify(gotB)).toContain('hold.created');
    controller.abort();
    await ofA.next;
  });

  it('shows a deliberately unscoped query inside tenant A\'s transaction none of B\'s rows (RLS)', async () => {
    const tables = ['appointments', 'holds', 'waitlist_entries', 'api_keys', 'allowed_origins', 'domain_events', 'tenants'];
    for (const table of tables) {
      const rows = await withTenant(h.db.pool, a.id, async (client) => (await client.query(`SELECT * FROM ${table}`)).rows);
      expect(rows.every((row: { tenant_id?: string; id?: string }) => (row.tenant_id ?? row.id) === a.id)).toBe(true);
    }
    const appointmentsOfB = await h.db.pool.query('SELECT 1 FROM appointments WHERE tenant_id = $1', [b.id]);
    expect(appointmentsOfB.rowCount).toBe(1);
    const seenByA = await withTenant(h.db.pool, a.id, async (client) => (await client.query('SELECT * FROM appointments')).rowCount);
    expect(seenByA).toBe(0);
  });

  it('does not let the admin secret stand in for a tenant key', async () => {
    expect((await h.call('bookings.list', {}, { key: adminSecret })).statusCode).toBe(401);
  });
});
