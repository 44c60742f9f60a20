import { ManualClock, countListeningConnections, createTestDatabase, openListeningFeed, type TestDatabase } from '@gomomo/core/testing';
import { recordEvent, withTransaction } from '@gomomo/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostmarkTransport } from '../src/email/postmark.js';
import { recordConsent } from '../src/outbox/consent.js';
import { enqueueOutboxMessage } from '../src/outbox/enqueue.js';
import { createOutboxSender, type OutboxSenderOptions } from '../src/outbox/sender.js';
import { suppressEmail } from '../src/outbox/suppression.js';
import { createTwilioTransport } from '../src/sms/outbound/twilio.js';
import type { Transports } from '../src/transports/types.js';
import { startFakePostmark, type FakePostmark } from './fakes/fake-postmark.js';
import { startFakeTwilio, type FakeTwilio } from './fakes/fake-twilio.js';
import { makeTenant, queue, rowOf } from './helpers.js';

let db: TestDatabase;
let postmark: FakePostmark;
let twilio: FakeTwilio;
let transports: Transports;
let tenantId: string;
const clock = new ManualClock('2026-12-01T12:00:00Z');

function sender(overrides: Partial<OutboxSenderOptions> = {}) {
  // A second: the first send of a run loads the vendor SDK (lazily, on first use), which takes a few
  // hundred milliseconds on a busy machine; the timeout cases below stall the fakes well past it.
  return createOutboxSender({ pool: db.pool, transports, clock, retryBaseMs: 30_000, sendTimeoutMs: 1000, ...overrides });
}

beforeAll(async () => {
  db = await createTestDatabase();
  postmark = await startFakePostmark();
  twilio = await startFakeTwilio();
  transports = {
    email: createPostmarkTransport({ serverToken: postmark.token, from: 'Clinic <hi@example.com>', requestHost: postmark.host, useHttps: false }),
    sms: createTwilioTransport({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550000000', httpClient: twilio.httpClient }),
  };
});

afterAll(async () => {
  await postmark?.close();
  await twilio?.close();
  await db?.drop();
});

beforeEach(async () => {
  tenantId = await makeTenant(db.pool);
  postmark.script.clear();
  twilio.script.clear();
  postmark.delayMs = 0;
  twilio.delayMs = 0;
});

describe('outbox sender', () => {
  it('sends an email through Postmark on the transactional stream with its attachment', async () => {
    const id = await queue(db.pool, {
      tenantId,
      channel: 'email',
      recipient: 'Ana@Example.com',
      attachments: [{ filename: 'invite.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR' }],
    });
    const result = await sender().drain();
    expect(result.sent).toBe(1);
    const row = await rowOf(db.pool, id);
    expect(row.status).toBe('sent');
    const got = postmark.received.find((m) => m.metadata.outboxId === id)!;
    expect(row.providerMessageId).toBe(got.messageId);
    expect(got.to).toBe('ana@example.com');
    expect(got.messageStream).toBe('outbound');
    expect(Buffer.from(got.attachments[0]!.Content, 'base64').toString()).toBe('BEGIN:VCALENDAR');
  });

  it('sends an SMS through Twilio and keeps its message sid', async () => {
    const id = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+1 (555) 010-0001' });
    await sender().drain();
    const row = await rowOf(db.pool, id);
    expect(row.status).toBe('sent');
    expect(row.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.received.filter((m) => m.to === '+15550100001')).toHaveLength(1);
  });

  it.each([
    ['Postmark 422', 'email', 'bad@example.com', { status: 422, body: { ErrorCode: 300, Message: 'Invalid email request' } }],
    ['Postmark 401', 'email', 'auth@example.com', { status: 401, body: { ErrorCode: 10, Message: 'Bad token' } }],
    ['Twilio 400 invalid number', 'sms', '+15550100002', { status: 400, body: { code: 21211, message: 'Invalid To', status: 400 } }],
  ] as const)('marks a %s as permanently failed without retrying', async (_label, channel, recipient, response) => {
    (channel === 'email' ? postmark : twilio).script.set(recipient, response);
    const id = await queue(db.pool, { tenantId, channel, recipient });
    await sender().drain();
    const row = await rowOf(db.pool, id);
    expect(row.status).toBe('permanently_failed');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBeTruthy();
  });

  it.each([
    ['Postmark 500', 'email', 'flaky@example.com', { status: 500, body: { ErrorCode: 0, Message: 'boom' } }],
    ['Twilio 503', 'sms', '+15550100003', { status: 503, body: { code: 20503, message: 'unavailable', status: 503 } }],
    ['a Postmark timeout', 'email', 'slow@example.com', { status: 200, delayMs: 3000 }],
    ['a Twilio timeout', 'sms', '+15550100004', { status: 201, delayMs: 3000 }],
  ] as const)('retries after %s with exponential backoff, then sends', async (_label, channel, recipient, response) => {
    const fake = channel === 'email' ? postmark : twilio;
    fake.script.set(recipient, response);
    const id = await queue(db.pool, { tenantId, channel, recipient });
    await sender().drain();
    const first = await rowOf(db.pool, id);
    expect(first.status).toBe('failed');
    expect(first.nextAttemptAt.getTime() - clock.now().getTime()).toBe(30_000);
    clock.advance(30_000);
    await sender().drain();
    const second = await rowOf(db.pool, id);
    expect(second.status).toBe('sent');
    expect(second.attempts).toBe(2);
    expect(second.providerMessageId).toBeTruthy();
    // A timed-out request may have been accepted anyway: the retry asks the provider first.
    const copies = channel === 'email' ? postmark.received.filter((m) => m.to === recipient) : twilio.received.filter((m) => m.to === recipient);
    expect(copies).toHaveLength(1);
  });

  it('doubles the delay on each transient failure and gives up after max attempts', async () => {
    const recipient = 'down@example.com';
    postmark.script.set(recipient, ...Array.from({ length: 3 }, () => ({ status: 500, body: { ErrorCode: 0, Message: 'down' } })));
    const id = await queue(db.pool, { tenantId, channel: 'email', recipient, maxAttempts: 3 });
    const delays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await sender().drain();
      const row = await rowOf(db.pool, id);
      delays.push(row.nextAttemptAt.getTime() - clock.now().getTime());
      clock.set(row.nextAttemptAt);
    }
    const row = await rowOf(db.pool, id);
    expect(delays.slice(0, 2)).toEqual([30_000, 60_000]);
    expect(row.status).toBe('permanently_failed');
    expect(row.lastError).toContain('after 3 attempts');
  });

  it.each([
    ['Postmark', 'email', 'busy@example.com', { status: 429, body: { ErrorCode: 0, Message: 'Rate limit exceeded' } }],
    ['Twilio', 'sms', '+15550100005', { status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } }],
  ] as const)('marks a %s 429 as rate limited without using up an attempt', async (_label, channel, recipient, response) => {
    (channel === 'email' ? postmark : twilio).script.set(recipient, response);
    const id = await queue(db.pool, { tenantId, channel, recipient });
    await sender().drain();
    const row = await rowOf(db.pool, id);
    expect(row.status).toBe('rate_limited');
    expect(row.attempts).toBe(0);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
  });

  it('never texts a number that opted out', async () => {
    await recordConsent(db.pool, { tenantId, channel: 'sms', address: '+15550100006', status: 'opted_out', source: 'sms_keyword', keyword: 'STOP' });
    const id = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100006' });
    await sender().drain();
    expect((await rowOf(db.pool, id)).status).toBe('opted_out');
    expect(twilio.received.some((m) => m.to === '+15550100006')).toBe(false);
  });

  it('records an opt-out when Twilio answers 21610 (the person replied STOP to the carrier)', async () => {
    twilio.script.set('+15550100007', { status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 } });
    const first = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100007' });
    await sender().drain();
    expect((await rowOf(db.pool, first)).status).toBe('opted_out');
    const second = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100007' });
    await sender().drain();
    expect((await rowOf(db.pool, second)).status).toBe('opted_out');
    // Through the one consent writer: recorded once, with an audit entry naming the carrier.
    const { rows } = await db.pool.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'consent.opt_out'`, [tenantId]);
    expect(rows.map((r) => r.details)).toEqual([expect.objectContaining({ source: 'carrier', keyword: '21610', previous: 'unknown' })]);
  });

  it('never emails a suppressed address', async () => {
    await suppressEmail(db.pool, { tenantId, email: 'bounced@example.com', reason: 'hard_bounce' });
    const id = await queue(db.pool, { tenantId, channel: 'email', recipient: 'Bounced@example.com' });
    await sender().drain();
    expect((await rowOf(db.pool, id)).status).toBe('suppressed');
    expect(postmark.received.some((m) => m.to === 'bounced@example.com')).toBe(false);
  });

  it('holds back SMS past the per-phone sliding window and sends them when it slides', async () => {
    const limit = { max: 2, windowMs: 60_000 };
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100008', body: `message ${i}` }));
    await sender({ smsRateLimit: limit, concurrency: 1 }).drain();
    const statuses = await Promise.all(ids.map(async (id) => (await rowOf(db.pool, id)).status));
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'rate_limited')).toHaveLength(1);
    clock.advance(60_001);
    await sender({ smsRateLimit: limit }).drain();
    const after = await Promise.all(ids.map(async (id) => (await rowOf(db.pool, id)).status));
    expect(after).toEqual(['sent', 'sent', 'sent']);
  });

  it('keeps the rate window across a new sender (it lives in Postgres)', async () => {
    const limit = { max: 1, windowMs: 60_000 };
    await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100009' });
    await sender({ smsRateLimit: limit }).drain();
    const id = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100009', body: 'second' });
    await sender({ smsRateLimit: limit }).drain();
    expect((await rowOf(db.pool, id)).status).toBe('rate_limited');
  });

  it('marks a malformed row permanently failed and still sends the rest of the batch', async () => {
    const bad = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100010' });
    await db.pool.query(`UPDATE notification_outbox SET recipient = 'not-a-phone', attachments = '{"oops":1}' WHERE id = $1`, [bad]);
    const good = await queue(db.pool, { tenantId, channel: 'email', recipient: 'fine@example.com' });
    await sender().drain();
    expect((await rowOf(db.pool, bad)).status).toBe('permanently_failed');
    expect((await rowOf(db.pool, good)).status).toBe('sent');
  });

  it('lets two senders drain one outbox side by side without sending anything twice', async () => {
    const ids = [];
    for (let i = 0; i < 60; i++) ids.push(await queue(db.pool, { tenantId, channel: 'email', recipient: `pair${i}@example.com` }));
    postmark.delayMs = 5;
    const [a, b] = await Promise.all([sender({ batchSize: 7 }).drain(), sender({ batchSize: 7 }).drain()]);
    expect(a.sent + b.sent).toBe(60);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);
    const counts = postmark.countsByOutboxId();
    expect(ids.map((id) => counts.get(id))).toEqual(ids.map(() => 1));
  });

  it('after a sender died mid-send, asks the provider and does not send again', async () => {
    const id = await queue(db.pool, { tenantId, channel: 'email', recipient: 'crash@example.com' });
    // Simulate the crash: the row was claimed and handed to Postmark, then the process vanished.
    await db.pool.query(`UPDATE notification_outbox SET status = 'sending', attempts = 1, claimed_at = $2, lease_until = $2 WHERE id = $1`, [id, clock.now()]);
    await transports.email!.send(
      { id, tenantId, channel: 'email', template: 'confirmation', recipient: 'crash@example.com', subject: 'x', body: 'x', htmlBody: null, attachments: [], idempotencyKey: 'k' },
      { signal: new AbortController().signal },
    );
    clock.advance(1);
    const result = await sender().drain();
    expect(result.reconciled).toBe(1);
    expect((await rowOf(db.pool, id)).status).toBe('sent');
    expect(postmark.countsByOutboxId().get(id)).toBe(1);
  });

  it('resends a message whose sender died before handing it over', async () => {
    const id = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550100011' });
    await db.pool.query(`UPDATE notification_outbox SET status = 'sending', attempts = 1, claimed_at = $2, lease_until = $2 WHERE id = $1`, [id, clock.now()]);
    clock.advance(1);
    const result = await sender().drain();
    expect(result.sent).toBe(1);
    expect(twilio.received.filter((m) => m.to === '+15550100011')).toHaveLength(1);
  });

  it('does not touch rows whose claim is still live', async () => {
    const id = await queue(db.pool, { tenantId, channel: 'email', recipient: 'leased@example.com' });
    await db.pool.query(`UPDATE notification_outbox SET status = 'sending', claimed_at = $2, lease_until = $2::timestamptz + interval '1 minute' WHERE id = $1`, [id, clock.now()]);
    const result = await sender().drain();
    expect(result.claimed).toBe(0);
  });

  it('wakes on NOTIFY when a message is queued and stops gracefully', async () => {
    const running = createOutboxSender({ pool: db.pool, transports, pollIntervalMs: 60_000 }).start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const id = await withTransaction(db.pool, async () => queue(db.pool, { tenantId, channel: 'email', recipient: 'live@example.com' }));
    for (let i = 0; i < 50 && (await rowOf(db.pool, id)).status !== 'sent'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await running.stop();
    expect((await rowOf(db.pool, id)).status).toBe('sent');
  });

  it('wakes on the event notification when a message is queued in a transaction that also wrote domain events', async () => {
    const running = createOutboxSender({ pool: db.pool, transports, pollIntervalMs: 60_000 }).start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // One NOTIFY per transaction (core 0008, channels 0067): this one is gomomo_events '<tenant>:<id>;outbox'.
    const { id } = await withTransaction(db.pool, async (client) => {
      await recordEvent(client, { tenantId, type: 'booking.created', occurredAt: clock.now() });
      return enqueueOutboxMessage(client, { tenantId, channel: 'email', template: 'confirmation', recipient: 'with-event@example.com', subject: 'Your booking', body: 'Hello', idempotencyKey: 'with-event' });
    });
    for (let i = 0; i < 50 && (await rowOf(db.pool, id)).status !== 'sent'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await running.stop();
    expect((await rowOf(db.pool, id)).status).toBe('sent');
  });

  it("wakes on the process's shared LISTEN connection, with none of its own, and lets go of it when stopped", async () => {
    const shared = await openListeningFeed(db.pool);
    try {
      const before = await countListeningConnections(db.pool);
      const running = createOutboxSender({ pool: db.pool, transports, pollIntervalMs: 60_000, notifications: shared.feed }).start();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await countListeningConnections(db.pool)).toBe(before);
      // Queued alone (gomomo_outbox), then with a domain event (gomomo_events '<tenant>:<id>;outbox').
      const alone = await withTransaction(db.pool, async () => queue(db.pool, { tenantId, channel: 'email', recipient: 'shared-alone@example.com' }));
      for (let i = 0; i < 50 && (await rowOf(db.pool, alone)).status !== 'sent'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const { id: withEvent } = await withTransaction(db.pool, async (client) => {
        await recordEvent(client, { tenantId, type: 'booking.created', occurredAt: clock.now() });
        return enqueueOutboxMessage(client, { tenantId, channel: 'email', template: 'confirmation', recipient: 'shared-event@example.com', subject: 'Your booking', body: 'Hello', idempotencyKey: 'shared-event' });
      });
      for (let i = 0; i < 50 && (await rowOf(db.pool, withEvent)).status !== 'sent'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(shared.subscriberCount()).toBe(1);
      await running.stop();
      expect([(await rowOf(db.pool, alone)).status, (await rowOf(db.pool, withEvent)).status]).toEqual(['sent', 'sent']);
      expect(shared.subscriberCount()).toBe(0);
    } finally {
      await shared.close();
    }
  });
});
