// Issue 17, item 2: the console's bookings grid is pushed, not polled. A staff subscription to the
// business's booking events (`console.bookings.events`) hears every booking as it commits, from
// any channel, and nothing of another business.
import { recordEvent, withTenant } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appRouter } from '../../src/index.js';
import { toOpaqueDeps } from '../../src/trpc/context.js';
import { createHarness, trpcData, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
let ownerA: ConsoleSession;
let ownerB: ConsoleSession;

beforeAll(async () => {
  h = await createHarness();
  a = await h.onboard('live-grid-a', 'https://live-a.example');
  b = await h.onboard('live-grid-b', 'https://live-b.example');
  await createOwner(h, a);
  await createOwner(h, b);
  ownerA = await signIn(h, { tenant: 'live-grid-a', email: 'owner@clinic.example', password: ownerPassword });
  ownerB = await signIn(h, { tenant: 'live-grid-b', email: 'owner@clinic.example', password: ownerPassword });
});
afterAll(() => h.close());

interface BookingChange {
  kind: string;
  type: string;
  reference: string | null;
  channel: string;
}

/** Opens `console.bookings.events` as the session's browser would (the cookie's token), collecting what arrives. */
async function subscribe(session: ConsoleSession, signal: AbortSignal): Promise<{ next: () => Promise<BookingChange>; seen: BookingChange[] }> {
  const [, token] = session.cookie.split('=');
  const context = { deps: toOpaqueDeps(h.app.gomomo.deps), credential: null, origin: null, idempotencyKey: null, clientAddress: '127.0.0.1', staffToken: token };
  const iterator = (await appRouter.createCaller(context, { signal }).console.bookings.events())[Symbol.asyncIterator]();
  const seen: BookingChange[] = [];
  // The stream subscribes when first read: start reading, and return once it listens.
  const subscribers = h.app.gomomo.hub.subscriberCount;
  let started: ReturnType<typeof iterator.next> | null = iterator.next();
  started.catch(() => undefined);
  await vi.waitFor(() => expect(h.app.gomomo.hub.subscriberCount).toBeGreaterThan(subscribers));
  return {
    seen,
    next: async () => {
      const read = started ?? iterator.next();
      started = null;
      const { value, done } = await read;
      if (done) throw new Error('the stream ended');
      seen.push(value as BookingChange);
      return value as BookingChange;
    },
  };
}

/** A customer books as the widget does: a hold then a confirm in their conversation. */
async function bookAsCustomer(tenant: TestTenant, input: { start: string; sessionId: string }): Promise<string> {
  const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: tenant.serviceId, start: input.start, sessionId: input.sessionId }, { key: tenant.secretKey }));
  const booked = await h.call('bookings.confirm', { holdId: hold.id, sessionId: input.sessionId, client: { name: 'Ana', email: 'ana@example.com' } }, { key: tenant.secretKey });
  return trpcData<{ reference: string }>(booked).reference;
}

describe('console.bookings.events', () => {
  it('a booking seen live as a customer makes it, and none of another business', async () => {
    const controller = new AbortController();
    const liveA = await subscribe(ownerA, controller.signal);
    const liveB = await subscribe(ownerB, controller.signal);
    const pendingB = liveB.next().catch(() => null);
    const pending = liveA.next();
    const reference = await bookAsCustomer(a, { start: '2026-12-02T15:00:00Z', sessionId: 'web-visitor-1' });
    expect(await pending).toEqual({ kind: 'booking', id: expect.any(Number), type: 'booking.created', reference, start: '2026-12-02T10:00:00.000-05:00', channel: 'chat' });
    // The hold before it is not a booking: the grid shows bookings only.
    expect(liveA.seen.map((e) => e.type)).toEqual(['booking.created']);
    const cancelled = liveA.next();
    trpcData(await asStaff(h, ownerA, 'console.bookings.cancel', { reference }));
    expect(await cancelled).toMatchObject({ type: 'booking.cancelled', reference });
    controller.abort();
    await pendingB;
    expect(liveB.seen).toEqual([]);
  });

  it('hears a booking of no conversation (made through the API or an import), which no widget stream would carry', async () => {
    const controller = new AbortController();
    const live = await subscribe(ownerA, controller.signal);
    const pending = live.next();
    // As core writes it: the event in the change's transaction, with no conversation id.
    await withTenant(h.db.pool, a.id, (client) => recordEvent(client, { tenantId: a.id, type: 'booking.cancelled', subjectId: null, payload: { reference: 'GM-API01' }, occurredAt: h.clock.now() }));
    expect(await pending).toMatchObject({ kind: 'booking', type: 'booking.cancelled', reference: 'GM-API01', channel: 'api' });
    controller.abort();
  });
  it('a signed-out session hears no more bookings on the stream it opened before', async () => {
    const session = await signIn(h, { tenant: 'live-grid-a', email: 'owner@clinic.example', password: ownerPassword });
    const controller = new AbortController();
    const live = await subscribe(session, controller.signal);
    const first = live.next();
    await bookAsCustomer(a, { start: '2026-12-02T16:00:00Z', sessionId: 'web-visitor-2' });
    expect(await first).toMatchObject({ type: 'booking.created' });
    trpcData(await asStaff(h, session, 'console.auth.signOut'));
    // A stream trusts its last session check for a second (turn progress comes many times a second).
    h.clock.advance(1_000);
    // Expect the refusal before booking: the hold's own event may already end the stream mid-booking.
    const refused = expect(live.next()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await bookAsCustomer(a, { start: '2026-12-02T17:00:00Z', sessionId: 'web-visitor-3' });
    await refused;
    expect(live.seen.map((e) => e.type)).toEqual(['booking.created']);
    controller.abort();
  });
});
