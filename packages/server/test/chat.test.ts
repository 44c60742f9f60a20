import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let tenant: TestTenant;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  tenant = await h.onboard('chat-clinic', 'https://chat.example');
});
afterAll(() => h.close());

describe('chat', () => {
  it('answers a message sent with a publishable key from an allowed origin, and keeps the history', async () => {
    const turn = trpcData<{ reply: string; sessionId: string; sessionToken: string; events: { type: string }[] }>(
      await h.call('chat.send', { text: 'What services do you offer?' }, { key: tenant.publishableKey, origin: tenant.origin }),
    );
    expect(turn.reply).toContain('Consultation');
    expect(turn.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(turn.sessionToken).toMatch(/^gms_[A-Za-z0-9_-]{43}$/);
    const history = trpcData<{ role: string; content: string }[]>(
      await h.call('chat.history', undefined, { key: tenant.publishableKey, origin: tenant.origin, headers: { 'x-gomomo-session': turn.sessionToken } }),
    );
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(history[0]!.content).toBe('What services do you offer?');
  });

  it("pushes each change of a turn's status once to the conversation's subscribers; the reply keeps every event", async () => {
    const started = trpcData<{ sessionId: string; sessionToken: string }>(await h.call('chat.send', { text: 'Hello' }, { key: tenant.publishableKey, origin: tenant.origin }));
    const controller = new AbortController();
    const live = h.app.gomomo.hub.subscribe({ tenantId: tenant.id, sessionId: started.sessionId, signal: controller.signal })[Symbol.asyncIterator]();
    try {
      // The first turn's events may still be on their way to the hub's LISTEN connection (a busy
      // machine delivers a NOTIFY late): a marker published now arrives after every one of them.
      await h.app.gomomo.hub.publishTurnEvent({ tenantId: tenant.id, sessionId: started.sessionId, event: { type: 'text', delta: 'marker' } });
      for (;;) {
        const { value } = await live.next();
        if (value?.kind === 'turn' && value.event.type === 'text' && value.event.delta === 'marker') break;
      }
      const turn = trpcData<{ events: { type: string; status?: string }[] }>(
        await h.call('chat.send', { text: 'What services do you offer?' }, { key: tenant.publishableKey, origin: tenant.origin, headers: { 'x-gomomo-session': started.sessionToken } }),
      );
      // The turn says "thinking" when it starts and again when its tool runs.
      expect(turn.events.map((e) => e.status ?? e.type)).toEqual(['thinking', 'thinking', 'idle']);
      const pushed: string[] = [];
      while (pushed.at(-1) !== 'idle') {
        const { value } = await live.next();
        if (value?.kind === 'turn') pushed.push(value.event.type === 'status' ? value.event.status : value.event.type);
      }
      expect(pushed).toEqual(['thinking', 'idle']);
    } finally {
      controller.abort();
    }
  });

  it('rejects an empty message with 400 naming the field', async () => {
    const response = await h.call('chat.send', { text: '   ' }, { key: tenant.secretKey });
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).fields).toEqual([{ field: 'text', message: 'must not be empty' }]);
  });

  it('answers UNAVAILABLE (503) when the server has no receptionist', async () => {
    const bare = await createHarness();
    try {
      const other = await bare.onboard('bare-clinic', 'https://bare.example');
      const response = await bare.call('chat.send', { text: 'hi' }, { key: other.secretKey });
      expect(response.statusCode).toBe(503);
      expect(trpcError(response).code).toBe('UNAVAILABLE');
    } finally {
      await bare.close();
    }
  });
});

describe('chat.eventsSince (polling fallback for chat.events)', () => {
  type Polled = { events: { kind: string; id: number; type: string; subjectId: string | null }[]; lastEventId: string };
  let sessionId: string;
  let pk: { key: string; origin: string; headers: Record<string, string> };
  beforeAll(async () => {
    const started = trpcData<{ sessionId: string; sessionToken: string }>(await h.call('chat.send', { text: 'Hello' }, { key: tenant.publishableKey, origin: tenant.origin }));
    sessionId = started.sessionId;
    pk = { key: tenant.publishableKey, origin: tenant.origin, headers: { 'x-gomomo-session': started.sessionToken } };
  });

  it('returns the session\'s stored events after the cursor, in the subscription\'s shape, with a publishable key', async () => {
    const empty = trpcData<Polled>(await h.call('chat.eventsSince', {}, pk));
    expect(empty).toEqual({ events: [], lastEventId: '0' });

    const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: tenant.serviceId, start: '2026-12-02T15:00:00Z', sessionId }, { key: tenant.secretKey }));
    await h.call('bookings.hold', { serviceId: tenant.serviceId, start: '2026-12-02T16:00:00Z', sessionId: 'another-session-0001' }, { key: tenant.secretKey });
    const first = trpcData<Polled>(await h.call('chat.eventsSince', { afterId: empty.lastEventId }, pk));
    expect(first.events).toEqual([expect.objectContaining({ kind: 'domain', type: 'hold.created', subjectId: hold.id })]);
    expect(first.lastEventId).toBe(String(first.events[0]!.id));

    const next = trpcData<Polled>(await h.call('chat.eventsSince', { afterId: Number(first.lastEventId) }, pk));
    expect(next).toEqual({ events: [], lastEventId: first.lastEventId });
  });

  it('rejects a cursor that is not an event id with 400 naming afterId', async () => {
    const response = await h.call('chat.eventsSince', { sessionId, afterId: 'latest' }, { key: tenant.secretKey });
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).fields?.map((f) => f.field)).toEqual(['afterId']);
  });
});
