// The booking's two calls and a web chat's message without tRPC's HTTP adapter (issue 15):
// `POST /trpc/bookings.hold`, `bookings.confirm` and `chat.send` run through a server-side caller of
// the same router, and only the HTTP framing is the fast path's. Every answer here is compared with the batched call's (`?batch=1`), which
// tRPC's own adapter answers: the same status, body and headers, for successes and for each kind
// of refusal.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let a: TestTenant;

beforeAll(async () => {
  // With the receptionist and its offline brain, so chat.send answers as in production.
  h = await createHarness({ withReceptionist: true });
  a = await h.onboard('fast-path', 'https://fast-path.example');
});
afterAll(() => h.close());

const answered = () => h.app.gomomo.mutationAnswers.answered;

/** The headers an answer's reader sees, without those of the transport (length, date, connection). */
function headersOf(response: LightMyRequestResponse): Record<string, unknown> {
  const { 'content-length': _length, date: _date, connection: _connection, 'transfer-encoding': _encoding, ...rest } = response.headers;
  return rest;
}

/** POSTs one call as the fast path takes it, and as a batch of one, which tRPC answers itself. */
async function postBoth(path: string, body: string, headers: Record<string, string>) {
  const before = answered();
  const fast = await h.app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { 'content-type': 'application/json', ...headers }, payload: body });
  expect(answered()).toBe(before + 1);
  const batched = await h.app.inject({ method: 'POST', url: `/trpc/${path}?batch=1`, headers: { 'content-type': 'application/json', ...headers }, payload: `{"0":${body}}` });
  expect(answered()).toBe(before + 1);
  return { fast, batched };
}

/** The fast path's answer is the batched one's: status, body (a batch wraps it in [ ]) and headers. */
function expectSameAnswer({ fast, batched }: { fast: LightMyRequestResponse; batched: LightMyRequestResponse }) {
  expect(fast.statusCode).toBe(batched.statusCode);
  expect(fast.json()).toEqual((batched.json() as unknown[])[0]);
  expect(headersOf(fast)).toEqual(headersOf(batched));
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
/** A key of the right shape that no tenant has, made here so no key-shaped literal sits in the source. */
const unknownKey = `sk_live_${'0'.repeat(31)}A`;
let slot = 0;
/** A distinct open slot for each hold: weekdays from 2026-12-02, 09:00 New York, 30 minutes apart. */
function nextStart(): string {
  const n = slot++;
  const day = new Date(Date.UTC(2026, 11, 2 + Math.floor(n / 16)));
  while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
  return new Date(day.getTime() + 14 * 3_600_000 + (n % 16) * 30 * 60_000).toISOString();
}

describe('the booking fast path', () => {
  it('answers a hold and its confirmation as tRPC would (the same answer replayed by Idempotency-Key through tRPC)', async () => {
    const hold = { serviceId: a.serviceId, start: nextStart(), resourceId: a.resourceId, sessionId: 'fast-session-1' };
    const held = await postBoth('bookings.hold', JSON.stringify(hold), { ...auth(a.secretKey), 'idempotency-key': 'fast-hold-1' });
    expectSameAnswer(held);
    expect(held.fast.statusCode).toBe(200);
    const holdId = trpcData<{ id: string }>(held.fast).id;

    const confirm = { holdId, sessionId: 'fast-session-1', client: { name: 'Ann Fast', email: 'ann@example.com' }, notes: 'window seat' };
    const confirmed = await postBoth('bookings.confirm', JSON.stringify(confirm), { ...auth(a.secretKey), 'idempotency-key': 'fast-confirm-1', origin: 'https://elsewhere.example' });
    expectSameAnswer(confirmed);
    expect(trpcData<{ status: string; reference: string }>(confirmed.fast)).toMatchObject({ status: 'booked', reference: expect.any(String) });
  });

  it.each([
    ['no key', {}, () => ({ serviceId: a.serviceId, start: nextStart(), sessionId: 'refused-session' })],
    ['a key that does not exist', auth(unknownKey), () => ({ serviceId: a.serviceId, start: nextStart(), sessionId: 'refused-session' })],
    ['a publishable key from its own origin', { ...auth('PUBLISHABLE'), origin: 'https://fast-path.example' }, () => ({ serviceId: a.serviceId, start: nextStart(), sessionId: 'refused-session' })],
    ['a service id that is not a UUID', auth('SECRET'), () => ({ serviceId: 'nope', start: nextStart(), sessionId: 'refused-session' })],
    ['no start', auth('SECRET'), () => ({ serviceId: a.serviceId, sessionId: 'refused-session' })],
    ['a start that is no instant', auth('SECRET'), () => ({ serviceId: a.serviceId, start: 'tomorrow at ten', sessionId: 'refused-session' })],
    ['a NUL in the session id', auth('SECRET'), () => ({ serviceId: a.serviceId, start: nextStart(), sessionId: 'a\u0000b' })],
    ['a service of no one', auth('SECRET'), () => ({ serviceId: '00000000-0000-4000-8000-000000000000', start: nextStart(), sessionId: 'refused-session' })],
    ['a start outside opening hours', auth('SECRET'), () => ({ serviceId: a.serviceId, start: '2026-12-02T03:00:00Z', sessionId: 'refused-session' })],
    ['an input that is not an object', auth('SECRET'), () => 'hold me'],
    ['null', auth('SECRET'), () => null],
  ])('refuses a hold with %s in the same words, status and headers as tRPC', async (_case, headers, input) => {
    const resolved = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace('SECRET', a.secretKey).replace('PUBLISHABLE', a.publishableKey)]));
    const both = await postBoth('bookings.hold', JSON.stringify(input()), resolved);
    expect(both.fast.statusCode).toBeGreaterThanOrEqual(400);
    expect(both.fast.statusCode).toBeLessThan(500);
    expectSameAnswer(both);
  });

  it('refuses a slot already held, and a confirmation of a hold that does not exist, as tRPC would', async () => {
    const start = nextStart();
    const first = await h.call('bookings.hold', { serviceId: a.serviceId, start, resourceId: a.resourceId, sessionId: 'first-session' }, { key: a.secretKey });
    expect(first.statusCode).toBe(200);
    const taken = await postBoth('bookings.hold', JSON.stringify({ serviceId: a.serviceId, start, resourceId: a.resourceId, sessionId: 'second-session' }), auth(a.secretKey));
    expect(taken.fast.statusCode).toBe(409);
    expectSameAnswer(taken);

    const unknown = await postBoth('bookings.confirm', JSON.stringify({ holdId: '00000000-0000-4000-8000-000000000000', sessionId: 'unknown-hold', client: { name: 'Nobody' } }), auth(a.secretKey));
    expect(unknown.fast.json()).toMatchObject({ error: { data: { code: expect.stringMatching(/HOLD|NOT_FOUND|VALIDATION/) } } });
    expect(unknown.fast.statusCode).toBeGreaterThanOrEqual(400);
    expectSameAnswer(unknown);
  });

  it('takes a JSON body whatever the case and parameters of its Content-Type, as tRPC does', async () => {
    const both = await postBoth('bookings.hold', JSON.stringify({ serviceId: 'nope', start: nextStart(), sessionId: 'refused-session' }), { ...auth(a.secretKey), 'content-type': 'Application/JSON ; charset=UTF-8' });
    expect(both.fast.statusCode).toBe(400);
    expectSameAnswer(both);
  });

  it('refuses an Idempotency-Key used for another request as tRPC would', async () => {
    const headers = { ...auth(a.secretKey), 'idempotency-key': 'fast-mismatch' };
    const first = await h.app.inject({ method: 'POST', url: '/trpc/bookings.hold', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ serviceId: a.serviceId, start: nextStart(), resourceId: a.resourceId, sessionId: 'mismatch-session' }) });
    expect(first.statusCode).toBe(200);
    const other = await postBoth('bookings.hold', JSON.stringify({ serviceId: a.serviceId, start: nextStart(), resourceId: a.resourceId, sessionId: 'mismatch-session' }), headers);
    expect(other.fast.json()).toMatchObject({ error: { data: { code: 'IDEMPOTENCY_MISMATCH' } } });
    expectSameAnswer(other);
  });

  it('leaves to tRPC what it cannot answer as tRPC would: a batch, a query string, a body that is not JSON, a streamed answer, another procedure', async () => {
    const before = answered();
    const hold = JSON.stringify({ serviceId: a.serviceId, start: nextStart(), resourceId: a.resourceId, sessionId: 'left-to-trpc' });
    const notJson = await h.app.inject({ method: 'POST', url: '/trpc/bookings.hold', headers: { 'content-type': 'application/json', ...auth(a.secretKey) }, payload: '{"serviceId":' });
    expect(notJson.statusCode).toBe(400);
    const form = await h.app.inject({ method: 'POST', url: '/trpc/bookings.hold', headers: { 'content-type': 'text/plain', ...auth(a.secretKey) }, payload: hold });
    expect(form.statusCode).toBeGreaterThanOrEqual(400);
    // Not JSON to tRPC either (it compares the media type whole), so tRPC answers it.
    const lookalike = await h.app.inject({ method: 'POST', url: '/trpc/bookings.hold', headers: { 'content-type': 'application/jsonx', ...auth(a.secretKey) }, payload: hold });
    expect(lookalike.statusCode).toBeGreaterThanOrEqual(400);
    const query = await h.app.inject({ method: 'POST', url: '/trpc/bookings.hold?x=1', headers: { 'content-type': 'application/json', ...auth(a.secretKey) }, payload: hold });
    expect(query.statusCode).toBe(200);
    const get = await h.app.inject({ method: 'GET', url: `/trpc/bookings.hold?input=${encodeURIComponent(hold)}`, headers: auth(a.secretKey) });
    expect(get.statusCode).toBeGreaterThanOrEqual(400);
    // A streamed answer is only for a batch: tRPC refuses it, and so the same call here is refused.
    for (const streaming of [{ 'trpc-accept': 'application/jsonl' }, { accept: 'application/json, application/jsonl' }]) {
      for (const path of ['bookings.hold', 'chat.send']) {
        const streamed = await h.app.inject({ method: 'POST', url: `/trpc/${path}`, headers: { 'content-type': 'application/json', ...auth(a.secretKey), ...streaming }, payload: path === 'chat.send' ? '{"text":"hi"}' : hold });
        expect(streamed.statusCode).toBe(400);
        expect(streamed.json()).toMatchObject({ error: { message: 'Streaming requests must be batched (you can do a batch of 1)' } });
      }
    }
    expect((await h.call('bookings.list', {}, { key: a.secretKey })).statusCode).toBe(200);
    expect(answered()).toBe(before);
  });
});

/** A chat answer with the new conversation's random id and token blanked, which differ between any two conversations. */
function withoutConversationIds(body: unknown): unknown {
  const data = (body as { result?: { data?: Record<string, unknown> } }).result?.data;
  if (!data) return body;
  return { result: { data: { ...data, sessionId: typeof data.sessionId, ...('sessionToken' in data ? { sessionToken: typeof data.sessionToken } : {}) } } };
}

describe('the chat fast path', () => {
  const fromSite = () => ({ ...auth(a.publishableKey), origin: a.origin });

  it('answers the first message of a conversation and the next one as tRPC would', async () => {
    const first = await postBoth('chat.send', JSON.stringify({ text: 'What services do you offer?' }), fromSite());
    expect(first.fast.statusCode).toBe(200);
    expect(first.fast.statusCode).toBe(first.batched.statusCode);
    expect(withoutConversationIds(first.fast.json())).toEqual(withoutConversationIds((first.batched.json() as unknown[])[0]));
    expect(headersOf(first.fast)).toEqual(headersOf(first.batched));
    // The browser may read the answer: its own origin is allowed.
    expect(first.fast.headers['access-control-allow-origin']).toBe(a.origin);
    const fast = trpcData<{ reply: string; sessionId: string; sessionToken: string }>(first.fast);
    expect(fast.reply).toContain('Consultation');
    expect(fast.sessionToken).toMatch(/^gms_[A-Za-z0-9_-]{43}$/);
    const batched = ((first.batched.json() as unknown[])[0] as { result: { data: { sessionId: string; sessionToken: string } } }).result.data;

    // Each conversation's second message, by its own token: the fast one through the fast path,
    // the other through tRPC.
    const before = answered();
    const next = JSON.stringify({ text: 'What are your opening hours?' });
    const fastNext = await h.app.inject({ method: 'POST', url: '/trpc/chat.send', headers: { 'content-type': 'application/json', ...fromSite(), 'x-gomomo-session': fast.sessionToken }, payload: next });
    const batchedNext = await h.app.inject({ method: 'POST', url: '/trpc/chat.send?batch=1', headers: { 'content-type': 'application/json', ...fromSite(), 'x-gomomo-session': batched.sessionToken }, payload: `{"0":${next}}` });
    expect(answered()).toBe(before + 1);
    expect(fastNext.statusCode).toBe(200);
    expect(trpcData<{ sessionId: string }>(fastNext).sessionId).toBe(fast.sessionId);
    expect(withoutConversationIds(fastNext.json())).toEqual(withoutConversationIds((batchedNext.json() as unknown[])[0]));
    expect(headersOf(fastNext)).toEqual(headersOf(batchedNext));

    // What the customer saw is stored, as for any turn.
    const history = trpcData<{ role: string; content: string }[]>(await h.call('chat.history', undefined, { key: a.publishableKey, origin: a.origin, headers: { 'x-gomomo-session': fast.sessionToken } }));
    expect(history.map((m) => m.content).filter((_, i) => i % 2 === 0)).toEqual(['What services do you offer?', 'What are your opening hours?']);
  });

  it.each([
    ['an empty message', () => fromSite(), () => ({ text: '   ' })],
    ['a message too long', () => fromSite(), () => ({ text: 'x'.repeat(2001) })],
    ['no key', () => ({ origin: a.origin }), () => ({ text: 'hi' })],
    ['a key that does not exist', () => auth(unknownKey), () => ({ text: 'hi' })],
    ['a publishable key from an origin its tenant does not allow', () => ({ ...auth(a.publishableKey), origin: 'https://elsewhere.example' }), () => ({ text: 'hi' })],
    ['a publishable key naming a conversation by id', () => fromSite(), () => ({ text: 'hi', sessionId: 'someone-elses-session' })],
    ['a session token of no conversation', () => ({ ...fromSite(), 'x-gomomo-session': `gms_${'A'.repeat(43)}` }), () => ({ text: 'hi' })],
    ['a malformed session token', () => fromSite(), () => ({ text: 'hi', sessionToken: 'not-a-token' })],
    ['a NUL in the message', () => fromSite(), () => ({ text: 'a\u0000b' })],
    ['an input that is not an object', () => fromSite(), () => 'hello'],
  ])('refuses %s in the same words, status and headers as tRPC', async (_case, headers, input) => {
    const both = await postBoth('chat.send', JSON.stringify(input()), headers());
    expect(both.fast.statusCode).toBeGreaterThanOrEqual(400);
    expect(both.fast.statusCode).toBeLessThan(500);
    expectSameAnswer(both);
  });
});
