import { createTenant, demoTenantInput } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogTransport } from '../src/transports/log.js';
import { createOutboxSender } from '../src/outbox/sender.js';
import { createTwilioTransport } from '../src/sms/outbound/twilio.js';
import { startFakeTwilio, type FakeTwilio } from './fakes/fake-twilio.js';
import { makeTenant, queue, rowOf } from './helpers.js';

let db: TestDatabase;
let twilio: FakeTwilio;

beforeAll(async () => {
  db = await createTestDatabase();
  twilio = await startFakeTwilio();
});
afterAll(async () => {
  await twilio?.close();
  await db?.drop();
});

function senderAt(clock: ManualClock) {
  return createOutboxSender({
    pool: db.pool,
    clock,
    transports: {
      email: createLogTransport({ channel: 'email' }),
      sms: createTwilioTransport({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550000000', httpClient: twilio.httpClient }),
    },
  });
}

// The demo tenant is in America/New_York (UTC−5 in December).
describe('outbox sender quiet hours', () => {
  it.each([
    ['a reminder SMS at 21:30 New York time waits for 08:00', '2026-12-01T02:30:00Z', 'sms', '+15550101010', false, '2026-12-01T13:00:00.000Z'],
    ['a reminder SMS at 07:59 New York time waits for 08:00', '2026-12-01T12:59:00Z', 'sms', '+15550101011', false, '2026-12-01T13:00:00.000Z'],
    ['an SMS to a London number follows London time', '2026-12-01T02:30:00Z', 'sms', '+447700900123', false, '2026-12-01T08:00:00.000Z'],
    ['a confirmation SMS at 21:30 goes at once', '2026-12-01T02:30:00Z', 'sms', '+15550101012', true, null],
    ['a reminder SMS at 10:00 New York time goes at once', '2026-12-01T15:00:00Z', 'sms', '+15550101013', false, null],
    ['a reminder email at night goes at once (quiet hours are for SMS)', '2026-12-01T02:30:00Z', 'email', 'night@example.com', false, null],
  ] as const)('%s', async (_, at, channel, recipient, isTransactional, heldUntil) => {
    const tenantId = await makeTenant(db.pool);
    const clock = new ManualClock(at);
    const id = await queue(db.pool, { tenantId, channel, recipient, isTransactional, sendAt: clock.now() });
    const result = await senderAt(clock).drain();
    const row = await rowOf(db.pool, id);
    if (heldUntil === null) {
      expect(row.status).toBe('sent');
      return;
    }
    expect(result).toMatchObject({ held: 1, sent: 0 });
    expect(row).toMatchObject({ status: 'pending', attempts: 0, providerMessageId: null });
    expect(row.nextAttemptAt.toISOString()).toBe(heldUntil);
    expect(twilio.received.filter((m) => m.to === recipient)).toEqual([]);
  });

  it('sends a held SMS once the window opens, using no attempt and no rate-limit slot while held', async () => {
    const tenantId = await makeTenant(db.pool);
    const clock = new ManualClock('2026-12-02T03:00:00Z');
    const id = await queue(db.pool, { tenantId, channel: 'sms', recipient: '+15550102020', isTransactional: false, sendAt: clock.now() });
    await senderAt(clock).drain();
    const { rows } = await db.pool.query('SELECT 1 FROM sms_rate_events WHERE tenant_id = $1', [tenantId]);
    expect(rows).toEqual([]);
    clock.set(new Date('2026-12-02T12:59:59Z'));
    expect((await senderAt(clock).drain()).claimed).toBe(0);
    clock.set(new Date('2026-12-02T13:00:00Z'));
    expect(await senderAt(clock).drain()).toMatchObject({ sent: 1 });
    expect(await rowOf(db.pool, id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(twilio.received.filter((m) => m.to === '+15550102020')).toHaveLength(1);
  });

  it("follows the tenant's own window in settings.sms.quietHours", async () => {
    const tenant = await createTenant(db.pool, { ...demoTenantInput, slug: `quiet-${Math.random().toString(36).slice(2, 8)}`, settings: { sms: { quietHours: { sendFrom: '10:00', sendUntil: '18:00' } } } });
    const clock = new ManualClock('2026-12-01T14:30:00Z');
    const id = await queue(db.pool, { tenantId: tenant.id, channel: 'sms', recipient: '+15550103030', isTransactional: false, sendAt: clock.now() });
    await senderAt(clock).drain();
    expect((await rowOf(db.pool, id)).nextAttemptAt.toISOString()).toBe('2026-12-01T15:00:00.000Z');
  });
});
