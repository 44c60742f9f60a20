// Regression (issue 13): a session id of another tenant answered 403 "belongs to another business"
// while an unknown one answered 200, so any tenant's key could probe which session ids exist. Now a
// conversation is found only within the caller's tenant (by token, or by id for staff), and an
// unknown and a foreign conversation answer exactly the same: same status, same body.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, type Harness, type TestTenant } from '../harness.js';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
let ofB: { sessionId: string; sessionToken: string };

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  a = await h.onboard('reveal-a', 'https://reveal-a.example');
  b = await h.onboard('reveal-b', 'https://reveal-b.example');
  ofB = trpcData(await h.call('chat.send', { text: 'Hello, this is B\'s customer' }, { key: b.publishableKey, origin: b.origin }));
});
afterAll(() => h.close());

/** Status and body with the request-specific parts (none today) left as they are: they must match exactly. */
async function answer(path: string, input: unknown, options: Parameters<Harness['call']>[2]): Promise<{ status: number; body: string }> {
  const response = await h.call(path, input, options);
  return { status: response.statusCode, body: response.body };
}

describe('regression: whether a session id exists is revealed across tenants', () => {
  it.each([
    ['chat.send', (sessionId: string) => ({ sessionId, text: 'hi' })],
    ['chat.history', (sessionId: string) => ({ sessionId })],
    ['chat.eventsSince', (sessionId: string) => ({ sessionId, afterId: 0 })],
    ['chat.streamTicket', (sessionId: string) => ({ sessionId })],
  ])('%s with a secret key answers another tenant\'s session id exactly like an unknown one', async (path, input) => {
    const foreign = await answer(path, input(ofB.sessionId), { key: a.secretKey });
    const unknown = await answer(path, input(randomUUID()), { key: a.secretKey });
    expect(foreign.status).toBe(404);
    expect(foreign).toEqual(unknown);
  });

  it.each(['chat.send', 'chat.history', 'chat.eventsSince', 'chat.streamTicket'])('%s answers another tenant\'s session token exactly like an unknown one', async (path) => {
    const input = path === 'chat.send' ? { text: 'hi' } : {};
    const pk = { key: a.publishableKey, origin: a.origin };
    const foreign = await answer(path, input, { ...pk, headers: { 'x-gomomo-session': ofB.sessionToken } });
    const unknown = await answer(path, input, { ...pk, headers: { 'x-gomomo-session': `gms_${'x'.repeat(43)}` } });
    expect(foreign.status).toBe(404);
    expect(foreign).toEqual(unknown);
  });

  it('leaves B\'s conversation untouched and still B\'s', async () => {
    const history = trpcData<{ content: string }[]>(await h.call('chat.history', undefined, { key: b.publishableKey, origin: b.origin, headers: { 'x-gomomo-session': ofB.sessionToken } }));
    expect(history.map((m) => m.content)).toEqual(["Hello, this is B's customer", expect.any(String)]);
  });
});
