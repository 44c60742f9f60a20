// Issue 17, item 4, the widget's side of "a running turn does not answer after staff took over":
// the agent drops the reply when the turn is saved, but a streaming model writes words before that.
// The widget's stream (`chat.events`) drops every word published after the take-over committed,
// and passes them again once the conversation is handed back.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appRouter } from '../../src/index.js';
import { toOpaqueDeps } from '../../src/trpc/context.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from '../console/support.js';
import { createHarness, trpcData, type Harness, type TestTenant } from '../harness.js';

let h: Harness;
let a: TestTenant;
let owner: ConsoleSession;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  a = await h.onboard('late-words', 'https://late-words.example');
  await createOwner(h, a);
  owner = await signIn(h, { tenant: 'late-words', email: 'owner@clinic.example', password: ownerPassword });
});
afterAll(() => h.close());

type Streamed = { kind: string; type?: string; event?: { type: string; delta?: string } };

describe('chat.events after a take-over', () => {
  it('words streamed after a take-over reach no one; after the hand-back they do', async () => {
    const first = trpcData<{ sessionId: string; sessionToken: string }>(await h.call('chat.send', { text: 'hello' }, { key: a.publishableKey, origin: a.origin }));
    const { ticket } = trpcData<{ ticket: string }>(await h.call('chat.streamTicket', {}, { key: a.publishableKey, origin: a.origin, headers: { 'x-gomomo-session': first.sessionToken } }));
    const controller = new AbortController();
    const context = { deps: toOpaqueDeps(h.app.gomomo.deps), credential: null, origin: null, idempotencyKey: null, clientAddress: '127.0.0.1', streamTicket: ticket };
    const stream = (await appRouter.createCaller(context, { signal: controller.signal }).chat.events({}))[Symbol.asyncIterator]();
    const seen: Streamed[] = [];
    /** Reads the stream until `until` matches what arrived. */
    const readUntil = async (until: (item: Streamed) => boolean) => {
      for (;;) {
        const { value, done } = await stream.next();
        if (done) throw new Error('the stream ended');
        const item = (Array.isArray(value) ? value[1] : value) as Streamed;
        seen.push(item);
        if (until(item)) return;
      }
    };
    const { hub } = h.app.gomomo;
    const publish = (event: { type: 'text'; delta: string } | { type: 'status'; status: 'idle' }) => hub.publishTurnEvent({ tenantId: a.id, sessionId: first.sessionId, event });
    const isIdle = (item: Streamed) => item.kind === 'turn' && item.event?.type === 'status';

    // The stream subscribes when first read: read in the background, and wait until it listens.
    const subscribers = hub.subscriberCount;
    const firstIdle = readUntil(isIdle);
    await vi.waitFor(() => expect(hub.subscriberCount).toBeGreaterThan(subscribers));
    // A slow turn is writing; a staff member takes the conversation over; the model writes on.
    await publish({ type: 'text', delta: 'Before the take-over. ' });
    trpcData(await asStaff(h, owner, 'console.inbox.takeOver', { sessionId: first.sessionId }));
    await publish({ type: 'text', delta: 'After the take-over.' });
    await publish({ type: 'status', status: 'idle' });
    await firstIdle;
    const words = () => seen.filter((s) => s.kind === 'turn' && s.event?.type === 'text').map((s) => s.event!.delta);
    expect(words()).toEqual(['Before the take-over. ']);
    expect(seen.some((s) => s.type === 'conversation.taken_over')).toBe(true);

    trpcData(await asStaff(h, owner, 'console.inbox.handBack', { sessionId: first.sessionId }));
    await publish({ type: 'text', delta: 'Back with the receptionist.' });
    await publish({ type: 'status', status: 'idle' });
    seen.length = 0;
    await readUntil(isIdle);
    expect(words()).toEqual(['Back with the receptionist.']);
    controller.abort();
  });
});
