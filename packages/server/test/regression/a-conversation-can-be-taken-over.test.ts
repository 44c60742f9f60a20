// Regression (issue 13, item 1): the session id was chosen by the caller, travelled in GET URLs
// (which the info log records) and was the only secret: with it and the tenant's public pk_ key,
// another client read the history (reference, email) and cancelled the booking in that
// conversation. Now the server issues a token (256 bits) when a conversation starts, only its hash
// is stored, every later call must present it in a header or a POST body, and streams open with a
// single-use ticket, so a logged URL or a session id is worth nothing.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';

let h: Harness;
let tenant: TestTenant;
let baseUrl: string;
const visitor = () => ({ key: tenant.publishableKey, origin: tenant.origin });
const withToken = (token: string) => ({ ...visitor(), headers: { 'x-gomomo-session': token } });

type Turn = { reply: string; sessionId: string; sessionToken?: string };

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  tenant = await h.onboard('takeover-clinic', 'https://takeover.example');
  baseUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => h.close());

/** A visitor books through the chat, as the widget does; returns the conversation and its reference. */
async function bookThroughChat(): Promise<{ sessionId: string; token: string; reference: string }> {
  const first = trpcData<Turn>(await h.call('chat.send', { text: 'I would like to book a consultation tomorrow at 10am' }, visitor()));
  const token = first.sessionToken!;
  const say = async (text: string) => trpcData<Turn>(await h.call('chat.send', { text }, withToken(token))).reply;
  let reply = first.reply;
  for (const text of ['1', 'Bea Victim, bea.victim@example.com', 'yes']) {
    if (/booked/i.test(reply) && /GM-/.test(reply)) break;
    reply = await say(text);
  }
  const reference = /GM-[0-9A-Z]{5}/.exec(reply)?.[0];
  expect(reference, reply).toBeDefined();
  return { sessionId: first.sessionId, token, reference: reference! };
}

/**
 * Opens `chat.events` over real HTTP and reads what comes in half a second. tRPC answers a refused
 * subscription inside the stream (`event: serialized-error` after `connected`), so that is where a
 * refusal shows.
 */
async function openStream(ticket: string): Promise<{ isRefused: boolean; body: string }> {
  const url = `${baseUrl}/trpc/chat.events?input=${encodeURIComponent('{}')}&connectionParams=${encodeURIComponent(JSON.stringify({ ticket }))}`;
  const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
  const reader = response.body!.getReader();
  const stop = setTimeout(() => void reader.cancel(), 500);
  let body = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    body += new TextDecoder().decode(value);
  }
  clearTimeout(stop);
  return { isRefused: response.status !== 200 || body.includes('serialized-error'), body };
}

describe('regression: a conversation can be taken over', () => {
  it('issues a 256-bit token on the first message, stores only its hash, and never returns it again', async () => {
    const first = trpcData<Turn>(await h.call('chat.send', { text: 'Hello' }, visitor()));
    expect(first.sessionToken).toMatch(/^gms_[A-Za-z0-9_-]{43}$/);
    const second = trpcData<Turn>(await h.call('chat.send', { text: 'What services do you offer?' }, withToken(first.sessionToken!)));
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.sessionToken).toBeUndefined();
    const { rows } = await h.db.pool.query<{ token_hash: Buffer }>('SELECT token_hash FROM agent_sessions WHERE id = $1', [first.sessionId]);
    expect(rows[0]!.token_hash.equals(createHash('sha256').update(first.sessionToken!).digest())).toBe(true);
    const stored = await h.db.pool.query('SELECT 1 FROM agent_sessions s WHERE s.id = $1 AND s::text LIKE $2', [first.sessionId, `%${first.sessionToken!.slice(4)}%`]);
    expect(stored.rowCount).toBe(0);
  });

  it('gives a client holding the session id and the public key neither the history nor the booking', async () => {
    const victim = await bookThroughChat();
    const history = await h.call('chat.history', { sessionId: victim.sessionId }, visitor());
    expect(history.statusCode).toBe(403);
    expect(history.body).not.toContain('bea.victim@example.com');
    expect(history.body).not.toContain(victim.reference);
    const cancel = await h.call('chat.send', { sessionId: victim.sessionId, text: `Cancel ${victim.reference}, bea.victim@example.com` }, visitor());
    expect(cancel.statusCode).toBe(403);
    for (const path of ['chat.eventsSince', 'chat.streamTicket']) expect((await h.call(path, { sessionId: victim.sessionId }, visitor())).statusCode).toBe(403);
    const { rows } = await h.db.pool.query<{ status: string }>('SELECT status FROM appointments WHERE tenant_id = $1 AND reference = $2', [tenant.id, victim.reference]);
    expect(rows).toEqual([{ status: 'booked' }]);
    // The victim, with the token, still has the conversation.
    const own = trpcData<{ content: string }[]>(await h.call('chat.history', undefined, withToken(victim.token)));
    expect(own.map((m) => m.content).join('\n')).toContain(victim.reference);
  });

  it('does not take a session token from a URL: a query carrying it in its input is refused', async () => {
    const { sessionToken } = trpcData<Turn>(await h.call('chat.send', { text: 'Hello' }, visitor()));
    const response = await h.call('chat.history', { sessionToken }, visitor());
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).fields?.map((f) => f.field)).toEqual(['sessionToken']);
  });

  it('answers a guessed token like an unknown one, and a message without a token starts a new conversation', async () => {
    const victim = await bookThroughChat();
    const guessed = `gms_${'A'.repeat(43)}`;
    const response = await h.call('chat.history', undefined, withToken(guessed));
    expect(response.statusCode).toBe(404);
    expect(trpcError(response).code).toBe('SESSION_NOT_FOUND');
    const fresh = trpcData<Turn>(await h.call('chat.send', { text: `Cancel ${victim.reference}` }, visitor()));
    expect(fresh.sessionId).not.toBe(victim.sessionId);
  });

  it('opens a stream once per ticket: the same URL replayed (from a log) is refused', async () => {
    const { sessionToken } = trpcData<Turn>(await h.call('chat.send', { text: 'Hello' }, visitor()));
    const { ticket, expiresAt } = trpcData<{ ticket: string; expiresAt: string }>(await h.call('chat.streamTicket', {}, withToken(sessionToken!)));
    expect(new Date(expiresAt).getTime() - h.clock.now().getTime()).toBeLessThanOrEqual(60_000);
    const opened = await openStream(ticket);
    expect(opened).toEqual({ isRefused: false, body: expect.stringContaining('event: connected') });
    const replayed = await openStream(ticket);
    expect(replayed.isRefused).toBe(true);
    expect(replayed.body).toContain('already used');
    expect(replayed.body).toContain('"httpStatus":401');
    const withoutTicket = await fetch(`${baseUrl}/trpc/chat.events?input=${encodeURIComponent('{}')}`);
    expect(await withoutTicket.text()).toContain('Missing stream ticket');
  });

  it('works the same over REST: POST /api/v1/chat/messages issues the token, later calls send it in the header', async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      h.app.inject({ method: 'POST', url: '/api/v1/chat/messages', headers: { authorization: `Bearer ${tenant.publishableKey}`, origin: tenant.origin, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
    const first = (await post({ text: 'Hello' })).json() as Turn;
    expect(first.sessionToken).toMatch(/^gms_/);
    const second = await post({ text: 'What services do you offer?' }, { 'x-gomomo-session': first.sessionToken! });
    expect(second.statusCode).toBe(200);
    expect((second.json() as Turn).sessionId).toBe(first.sessionId);
    const byId = await post({ sessionId: first.sessionId, text: 'Cancel everything' });
    expect(byId.statusCode).toBe(403);
    expect(byId.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('refuses an expired ticket', async () => {
    const { sessionToken } = trpcData<Turn>(await h.call('chat.send', { text: 'Hello' }, visitor()));
    const { ticket } = trpcData<{ ticket: string }>(await h.call('chat.streamTicket', {}, withToken(sessionToken!)));
    h.clock.advance(61_000);
    expect(await openStream(ticket)).toEqual({ isRefused: true, body: expect.stringContaining('has expired') });
  });

  it('keeps staff with the tenant\'s secret key able to read and act in any conversation by id, including ones from before tokens', async () => {
    const victim = await bookThroughChat();
    const staff = { key: tenant.secretKey };
    const history = trpcData<{ content: string }[]>(await h.call('chat.history', { sessionId: victim.sessionId }, staff));
    expect(history.map((m) => m.content).join('\n')).toContain(victim.reference);
    // A conversation stored before this change: no token, reachable by staff only.
    await h.db.pool.query("INSERT INTO agent_sessions (id, tenant_id, channel, created_at, updated_at) VALUES ('legacy-web-session-01', $1, 'web', now(), now())", [tenant.id]);
    expect((await h.call('chat.send', { sessionId: 'legacy-web-session-01', text: 'Hello again' }, staff)).statusCode).toBe(200);
    expect((await h.call('chat.send', { sessionId: 'legacy-web-session-01', text: 'Hello again' }, visitor())).statusCode).toBe(403);
    expect((await h.call('chat.streamTicket', { sessionId: victim.sessionId }, staff)).statusCode).toBe(200);
  });
});
