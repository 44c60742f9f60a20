import { createGomomoClient, inSession, type SessionEvent } from '@gomomo/client';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './processes.js';

const adminSecret = 'push-test-admin-secret-0123';
let db: TestDatabase;
let first: ApiProcess;
let second: ApiProcess;

function tenantInput(slug: string) {
  return {
    name: `Clinic ${slug}`,
    slug,
    timeZone: 'America/New_York',
    minNoticeMinutes: 0,
    lookaheadDays: 30,
    services: [{ name: 'Consultation', durationMinutes: 30 }],
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })),
    allowedOrigins: ['https://push.example'],
  };
}

async function onboard(url: string, slug: string): Promise<{ secret: string }> {
  const admin = createGomomoClient({ baseUrl: url, apiKey: adminSecret });
  const created = await admin.admin.createTenant.mutate(tenantInput(slug));
  return { secret: created.keys.secret.key };
}

function collect(url: string, apiKey: string, sessionToken: string) {
  const events: SessionEvent[] = [];
  let started!: () => void;
  const isStarted = new Promise<void>((resolve) => (started = resolve));
  const subscription = createGomomoClient({ baseUrl: url, apiKey }).chat.events.subscribe(
    {},
    { ...inSession({ sessionToken }), onStarted: () => started(), onData: (event) => events.push(event.data), onError: (error) => events.push({ kind: 'turn', event: { type: 'error', message: String(error) } }) },
  );
  return { events, isStarted, stop: () => subscription.unsubscribe() };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  [first, second] = await Promise.all([startApiProcess({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret }), startApiProcess({ DATABASE_URL: db.url, ADMIN_SECRET: adminSecret })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await db?.drop();
});

describe('push across instances', () => {
  it('delivers a session\'s events from a message sent through one process to a subscriber on the other (opened with a ticket), and nothing to another tenant\'s', async () => {
    const a = await onboard(first.url, 'push-a');
    const b = await onboard(first.url, 'push-b');
    const clientA = createGomomoClient({ baseUrl: first.url, apiKey: a.secret });
    const clientB = createGomomoClient({ baseUrl: first.url, apiKey: b.secret });
    const { sessionId, sessionToken } = await clientA.chat.send.mutate({ text: 'Hello' });
    const { sessionToken: tokenOfB } = await clientB.chat.send.mutate({ text: 'Hello' });
    const ofA = collect(second.url, a.secret, sessionToken!);
    const ofB = collect(second.url, b.secret, tokenOfB!);
    await Promise.all([ofA.isStarted, ofB.isStarted]);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const turn = await clientA.chat.send.mutate({ text: 'I would like a consultation' }, inSession({ sessionToken: sessionToken! }));
    expect(turn.reply.length).toBeGreaterThan(0);
    expect(turn.sessionId).toBe(sessionId);
    await waitFor(() => ofA.events.some((e) => e.kind === 'turn' && e.event.type === 'status'), 'a typing status on the other process');

    const [service] = await clientA.services.list.query();
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await clientA.availability.get.query({ serviceId: service!.id, from: today, to: inAWeek });
    const hold = await clientA.bookings.hold.mutate({ serviceId: service!.id, start: slots.at(-1)!.start, sessionId });
    await waitFor(() => ofA.events.some((e) => e.kind === 'domain' && e.type === 'hold.created' && e.subjectId === hold.id), 'hold.created on the other process');

    await new Promise((resolve) => setTimeout(resolve, 300));
    ofA.stop();
    ofB.stop();
    expect(ofB.events).toEqual([]);
  });

  it('answers /ready and shuts down cleanly on SIGTERM', async () => {
    expect(await (await fetch(`${second.url}/ready`)).json()).toEqual({ status: 'ready' });
    expect(await second.stop()).toBe(0);
  });
});
