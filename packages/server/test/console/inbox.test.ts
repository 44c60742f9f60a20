// Issue 17, items 3 and 4, through the API: the inbox, the hand-off to a person, and staff replies
// reaching the customer on their own channel (web push to the widget, SMS through the outbox).
import { escalateToStaff } from '@gomomo/agent';
import { smsConversationFor } from '@gomomo/channels';
import { withTenant } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/index.js';
import { toOpaqueDeps } from '../../src/trpc/context.js';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
let staffA: ConsoleSession;
let staffB: ConsoleSession;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  a = await h.onboard('inbox-a', 'https://inbox-a.example');
  b = await h.onboard('inbox-b', 'https://inbox-b.example');
  await createOwner(h, a);
  await createOwner(h, b);
  staffA = await signIn(h, { tenant: 'inbox-a', email: 'owner@clinic.example', password: ownerPassword });
  staffB = await signIn(h, { tenant: 'inbox-b', email: 'owner@clinic.example', password: ownerPassword });
});
afterAll(() => h.close());

interface Sent {
  reply: string;
  sessionId: string;
  sessionToken?: string;
}

/** The widget's side: a visitor on tenant A's site with the publishable key. */
function widget(token?: string) {
  return {
    send: async (text: string): Promise<Sent> =>
      trpcData<Sent>(await h.call('chat.send', { text }, { key: a.publishableKey, origin: a.origin, ...(token ? { headers: { 'x-gomomo-session': token } } : {}) })),
  };
}

/** Opens the conversation's `chat.events` stream as the widget does (a single-use ticket). */
async function openWidgetStream(token: string, signal: AbortSignal) {
  const { ticket } = trpcData<{ ticket: string }>(await h.call('chat.streamTicket', {}, { key: a.publishableKey, origin: a.origin, headers: { 'x-gomomo-session': token } }));
  const context = { deps: toOpaqueDeps(h.app.gomomo.deps), credential: null, origin: null, idempotencyKey: null, clientAddress: '127.0.0.1', streamTicket: ticket };
  return (await appRouter.createCaller(context, { signal }).chat.events({}))[Symbol.asyncIterator]();
}

async function nextOfKind<T extends { kind: string }>(iterator: AsyncIterator<unknown>, kind: string): Promise<T> {
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) throw new Error('the stream ended');
    // `tracked(id, data)` events arrive as [id, data, marker] through a server-side caller.
    const data = (Array.isArray(value) ? value[1] : value) as T;
    if (data.kind === kind) return data;
  }
}

let webToken: string;
let webSession: string;

describe('hand-off to a person through the console', () => {
  it('lists a conversation where the customer asked for a person as needing staff, with the honest line (before opening: when)', async () => {
    const first = await widget().send('Hi, I would like to talk to a human');
    webToken = first.sessionToken!;
    webSession = first.sessionId;
    // The harness clock is Tuesday 08:00 in New York: the business opens at 9.
    expect(first.reply).toBe("I'm passing you to our team. We're closed right now: a team member will reply here when we open, Tuesday, December 1 at 9:00 AM.");
    const waiting = trpcData<{ conversations: Array<{ sessionId: string; handoff: string; lastMessage: { content: string } }> }>(await asStaff(h, staffA, 'console.inbox.list', { handoff: 'needs_staff' }));
    expect(waiting.conversations.map((c) => [c.sessionId, c.handoff])).toEqual([[webSession, 'needs_staff']]);
  });

  it('pushes the staff reply to the widget (chat.events), and keeps it in the history', async () => {
    const controller = new AbortController();
    const stream = await openWidgetStream(webToken, controller.signal);
    const pending = nextOfKind<{ kind: 'staff'; text: string }>(stream, 'staff');
    trpcData(await asStaff(h, staffA, 'console.inbox.takeOver', { sessionId: webSession }));
    trpcData(await asStaff(h, staffA, 'console.inbox.reply', { sessionId: webSession, text: 'Hello! This is Olivia from the clinic.' }));
    expect(await pending).toMatchObject({ kind: 'staff', text: 'Hello! This is Olivia from the clinic.' });
    controller.abort();
    const history = trpcData<Array<{ role: string; content: string }>>(await h.call('chat.history', undefined, { key: a.publishableKey, origin: a.origin, headers: { 'x-gomomo-session': webToken } }));
    expect(history.at(-1)).toEqual(expect.objectContaining({ role: 'staff', content: 'Hello! This is Olivia from the clinic.' }));
  });

  it('keeps the AI silent while staff hold it: the customer message is stored and shown to staff', async () => {
    const turn = await widget(webToken).send('Thanks! Can you book me for Wednesday at 10?');
    expect(turn.reply).toBe('');
    const detail = trpcData<{ messages: Array<{ role: string; content: string }>; decisions: Array<{ actor: string; action: string }> }>(await asStaff(h, staffA, 'console.inbox.get', { sessionId: webSession }));
    expect(detail.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'staff', 'user']);
    expect(detail.decisions.map((d) => `${d.actor}:${d.action}`)).toEqual(['customer:conversation.handoff', 'staff:conversation.take_over', 'staff:conversation.staff_reply', 'customer:conversation.hold']);
  });

  it('sends the staff reply to an SMS customer through the outbox', async () => {
    const phone = '+12025550177';
    const sessionId = await withTenant(h.db.pool, a.id, (client) => smsConversationFor(client, { tenantId: a.id, phone, now: h.clock.now() }));
    await h.app.gomomo.deps.receptionist!.handleTurn({ tenantId: a.id, sessionId, channel: 'sms', text: 'operator', verifiedContact: { phone } });
    trpcData(await asStaff(h, staffA, 'console.inbox.takeOver', { sessionId }));
    const sent = trpcData<{ messageId: number }>(await asStaff(h, staffA, 'console.inbox.reply', { sessionId, text: 'Hi, Olivia here: we can see you at 10.' }));
    const { rows } = await h.db.pool.query('SELECT channel, template, recipient, body, idempotency_key FROM notification_outbox WHERE tenant_id = $1 AND template = $2', [a.id, 'staff_reply']);
    expect(rows).toEqual([{ channel: 'sms', template: 'staff_reply', recipient: phone, body: 'Hi, Olivia here: we can see you at 10.', idempotency_key: `staff-reply:${sent.messageId}` }]);
  });

  it('lists a message left on the phone as a voice conversation needing staff, and a staff reply reaches the caller by SMS', async () => {
    const phone = '+12025550178';
    const sessionId = `voice_${'5'.repeat(32)}`;
    // What the voice handler calls when a caller leaves a message outside hours (channels' port, the agent's function).
    await escalateToStaff(h.db.pool, {
      tenantId: a.id,
      sessionId,
      channel: 'voice',
      reason: 'asked',
      phone,
      messages: [{ role: 'user', content: 'can I talk to a person' }, { role: 'assistant', content: "Our team isn't available right now." }, { role: 'user', content: 'Message for staff: call me about my crown' }],
      now: h.clock.now(),
    });
    const waiting = trpcData<{ conversations: Array<{ sessionId: string; channel: string; handoff: string; contact: { phone: string } }> }>(await asStaff(h, staffA, 'console.inbox.list', { handoff: 'needs_staff' }));
    expect(waiting.conversations.find((c) => c.sessionId === sessionId)).toMatchObject({ channel: 'voice', handoff: 'needs_staff', contact: { phone } });
    trpcData(await asStaff(h, staffA, 'console.inbox.takeOver', { sessionId }));
    const sent = trpcData<{ messageId: number }>(await asStaff(h, staffA, 'console.inbox.reply', { sessionId, text: 'Hi, Olivia here: calling you at 10.' }));
    const { rows } = await h.db.pool.query('SELECT channel, template, recipient, idempotency_key FROM notification_outbox WHERE tenant_id = $1 AND recipient = $2', [a.id, phone]);
    expect(rows).toEqual([{ channel: 'sms', template: 'staff_reply', recipient: phone, idempotency_key: `staff-reply:${sent.messageId}` }]);
  });

  it('redacts contacts in an exported transcript', async () => {
    await widget(webToken).send('My email is pat@example.com');
    const exported = trpcData<{ text: string }>(await asStaff(h, staffA, 'console.inbox.export', { sessionId: webSession }));
    expect(exported.text).toContain('staff: Hello! This is Olivia from the clinic.');
    expect(exported.text).not.toContain('pat@example.com');
    const detail = trpcData<{ messages: Array<{ content: string }> }>(await asStaff(h, staffA, 'console.inbox.get', { sessionId: webSession }));
    expect(detail.messages.at(-1)!.content).toBe('My email is pat@example.com');
  });

  it('hand back → the AI answers again', async () => {
    trpcData(await asStaff(h, staffA, 'console.inbox.handBack', { sessionId: webSession }));
    const turn = await widget(webToken).send('What are your opening hours?');
    expect(turn.reply).toMatch(/9:00 AM/);
  });

  it('refuses cross-tenant staff on every inbox procedure, and changes nothing', async () => {
    const before = await h.db.pool.query('SELECT handoff, handoff_staff_id, turn_count FROM agent_sessions WHERE id = $1', [webSession]);
    for (const [path, input] of [
      ['console.inbox.get', { sessionId: webSession }],
      ['console.inbox.export', { sessionId: webSession }],
      ['console.inbox.takeOver', { sessionId: webSession }],
      ['console.inbox.reply', { sessionId: webSession, text: 'hi' }],
      ['console.inbox.handBack', { sessionId: webSession }],
    ] as const) {
      const response = await asStaff(h, staffB, path, input);
      expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
    }
    const listed = trpcData<{ conversations: Array<{ sessionId: string }> }>(await asStaff(h, staffB, 'console.inbox.list', {}));
    expect(listed.conversations).toEqual([]);
    expect((await h.db.pool.query('SELECT handoff, handoff_staff_id, turn_count FROM agent_sessions WHERE id = $1', [webSession])).rows).toEqual(before.rows);
  });

  it('refuses a reply without the CSRF token, and names the field of an empty reply', async () => {
    expect((await asStaff(h, staffA, 'console.inbox.reply', { sessionId: webSession, text: 'hi' }, { csrf: null })).statusCode).toBe(403);
    const empty = await asStaff(h, staffA, 'console.inbox.reply', { sessionId: webSession, text: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(trpcError(empty).message).toContain('text');
  });

  it('refuses a reply to a conversation the staff member does not hold (409)', async () => {
    const response = await asStaff(h, staffA, 'console.inbox.reply', { sessionId: webSession, text: 'hi' });
    expect(response.statusCode).toBe(409);
    expect(trpcError(response).code).toBe('CONVERSATION_NOT_HELD');
  });

  it('tells a staff subscriber live when a conversation needs staff, and none of another tenant', async () => {
    const controller = new AbortController();
    const [, token] = staffA.cookie.split('=');
    const context = { deps: toOpaqueDeps(h.app.gomomo.deps), credential: null, origin: null, idempotencyKey: null, clientAddress: '127.0.0.1', staffToken: token };
    const live = (await appRouter.createCaller(context, { signal: controller.signal }).console.inbox.events())[Symbol.asyncIterator]();
    const [, tokenB] = staffB.cookie.split('=');
    const liveB = (await appRouter.createCaller({ ...context, staffToken: tokenB }, { signal: controller.signal }).console.inbox.events())[Symbol.asyncIterator]();
    const seenByB: unknown[] = [];
    void (async () => {
      for (;;) {
        const next = await liveB.next().catch(() => ({ done: true, value: undefined }));
        if (next.done) return;
        seenByB.push(next.value);
      }
    })();
    const pending = nextOfKind<{ kind: string; type: string; sessionId: string }>(live, 'conversation');
    const started = await widget().send('representative please');
    expect(await pending).toMatchObject({ kind: 'conversation', type: 'conversation.needs_staff', sessionId: started.sessionId });
    controller.abort();
    expect(JSON.stringify(seenByB)).not.toContain(started.sessionId);
  });
  it('a staff member signed out everywhere hears nothing more on an inbox stream opened before', async () => {
    const session = await signIn(h, { tenant: 'inbox-a', email: 'owner@clinic.example', password: ownerPassword });
    const controller = new AbortController();
    const [, token] = session.cookie.split('=');
    const context = { deps: toOpaqueDeps(h.app.gomomo.deps), credential: null, origin: null, idempotencyKey: null, clientAddress: '127.0.0.1', staffToken: token };
    const live = (await appRouter.createCaller(context, { signal: controller.signal }).console.inbox.events())[Symbol.asyncIterator]();
    const first = nextOfKind(live, 'conversation');
    await widget().send('representative please');
    await first;
    trpcData(await asStaff(h, session, 'console.auth.signOutEverywhere'));
    h.clock.advance(1_000); // a stream trusts its last session check for a second
    // Expect the refusal before sending: an earlier event of the turn may already end the stream.
    const refused = expect(nextOfKind(live, 'conversation')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await widget().send('representative please');
    await refused;
    controller.abort();
  });
});
