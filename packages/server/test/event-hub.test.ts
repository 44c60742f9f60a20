// core sends one notification per transaction (migration 0008, issue 15 item 5): the hub reads every
// event it names, in order, and treats "*" (too many to list) like a reconnect.
import { createTenant, demoTenantInput, recordEvent, withTenant } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub, parseDomainPayload, type EventHub, type HubMessage } from '../src/push/event-hub.js';

let db: TestDatabase;
let hub: EventHub;
let tenantId: string;
const notified: number[] = [];
let resets = 0;
const hubErrors: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  tenantId = (await createTenant(db.pool, { ...demoTenantInput, slug: 'hub-clinic' })).id;
  hub = createEventHub({ pool: db.pool, onError: (error) => void hubErrors.push(error), onDomainEvent: (_tenant, id) => void notified.push(id), onReconnect: () => void resets++ });
  await hub.start();
});
afterAll(async () => {
  await hub?.close();
  await db?.drop();
});

const event = (sessionId: string) => ({ tenantId, type: 'hold.created', sessionId, occurredAt: new Date('2026-12-01T12:00:00Z') }) as const;

async function take(messages: AsyncIterator<HubMessage>, count: number): Promise<HubMessage[]> {
  const taken: HubMessage[] = [];
  while (taken.length < count) taken.push((await messages.next()).value as HubMessage);
  return taken;
}

describe('the event hub with one notification per transaction', () => {
  it('reads the payload forms: one event, several, with the outbox part, and "*"', () => {
    expect(parseDomainPayload('t1:7')).toEqual([{ tenantId: 't1', id: 7 }]);
    expect(parseDomainPayload('t1:7;t2:9;outbox')).toEqual([
      { tenantId: 't1', id: 7 },
      { tenantId: 't2', id: 9 },
    ]);
    expect(parseDomainPayload('*;outbox')).toBe('all');
  });

  it('delivers every event of a transaction to the session, in order, and tells onDomainEvent of each', async () => {
    const controller = new AbortController();
    const messages = hub.subscribe({ tenantId, sessionId: 'hub-1', signal: controller.signal })[Symbol.asyncIterator]();
    const ids = await withTenant(db.pool, tenantId, async (client) => [await recordEvent(client, event('hub-1')), await recordEvent(client, event('hub-1'))]);
    const got = await take(messages, 2);
    expect(got.map((m) => (m.kind === 'domain' ? m.event.id : m.kind))).toEqual(ids);
    expect(notified).toEqual(expect.arrayContaining(ids));
    controller.abort();
  });

  it('asks subscribers to replay, and resets onReconnect listeners, when the list did not fit', async () => {
    const controller = new AbortController();
    const messages = hub.subscribe({ tenantId, sessionId: 'hub-2', signal: controller.signal })[Symbol.asyncIterator]();
    const before = resets;
    await withTenant(db.pool, tenantId, async (client) => {
      for (let i = 0; i < 250; i++) await recordEvent(client, event('hub-2'));
    });
    expect(await take(messages, 1)).toEqual([{ kind: 'resync' }]);
    expect(resets).toBe(before + 1);
    controller.abort();
  });

  it("feeds its notifications, the outbox's too, to the process's other listeners until they unsubscribe, and treats an outbox notification as no session event", async () => {
    const seen: { channel: string; payload?: string | undefined }[] = [];
    const unsubscribe = hub.notifications.subscribe((notification) => void seen.push(notification));
    const errorsBefore = hubErrors.length;
    const id = await withTenant(db.pool, tenantId, (client) => recordEvent(client, event('hub-3')));
    await db.pool.query("SELECT pg_notify('gomomo_outbox', '')");
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([
      { channel: 'gomomo_events', payload: `${tenantId}:${id}` },
      { channel: 'gomomo_outbox', payload: '' },
    ]);
    unsubscribe();
    await db.pool.query("SELECT pg_notify('gomomo_outbox', '')");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toHaveLength(2);
    expect(hubErrors.slice(errorsBefore)).toEqual([]);
  });
});
