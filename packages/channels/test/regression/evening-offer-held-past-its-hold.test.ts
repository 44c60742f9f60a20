// Issue 14: "an evening offer is held for quiet hours and arrives at 08:00, ten hours after its
// 15-minute hold lapsed". A message with a deadline (`sendBefore`) is never held past it, and is
// never sent at or after it: it ends `obsolete`. Manual clock; the tenant is in New York (UTC−5).
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { withTransaction } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChannelError } from '../../src/errors.js';
import { enqueueOutboxMessage } from '../../src/outbox/enqueue.js';
import { createOutboxSender } from '../../src/outbox/sender.js';
import { createLogTransport } from '../../src/transports/log.js';
import type { OutboundMessage } from '../../src/transports/types.js';
import { makeTenant, queue, rowOf } from '../helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

function senderAt(clock: ManualClock) {
  const sent: OutboundMessage[] = [];
  const sms = createLogTransport({ channel: 'sms', onMessage: (m) => sent.push(m) });
  return { sender: createOutboxSender({ pool: db.pool, clock, transports: { sms, email: createLogTransport({ channel: 'email' }) } }), sent };
}

describe('regression: an evening offer is held for quiet hours past its hold', () => {
  it('gives up a 21:30 offer whose hold lapses at 21:45 instead of holding it until 08:00', async () => {
    const tenantId = await makeTenant(db.pool);
    const clock = new ManualClock('2026-12-02T02:30:00Z'); // 21:30 in New York
    const id = await queue(db.pool, {
      tenantId,
      channel: 'sms',
      recipient: '+15550107070',
      template: 'waitlist_offer',
      isTransactional: false,
      sendAt: clock.now(),
      sendBefore: new Date('2026-12-02T02:45:00Z'),
    });
    const { sender, sent } = senderAt(clock);
    expect(await sender.drain()).toMatchObject({ obsolete: 1, held: 0, sent: 0 });
    const row = await rowOf(db.pool, id);
    expect(row.status).toBe('obsolete');
    expect(row.lastError).toMatch(/quiet hours last until 2026-12-02T13:00:00.000Z, past its deadline/);
    clock.set('2026-12-02T13:00:00Z');
    await sender.drain();
    expect(sent).toEqual([]);
  });

  it('still holds an offer whose deadline is after the window opens, and sends it then', async () => {
    const tenantId = await makeTenant(db.pool);
    const clock = new ManualClock('2026-12-02T12:50:00Z'); // 07:50
    const id = await queue(db.pool, {
      tenantId, channel: 'sms', recipient: '+15550107071', template: 'waitlist_offer', isTransactional: false, sendAt: clock.now(), sendBefore: new Date('2026-12-02T13:05:00Z'),
    });
    const { sender, sent } = senderAt(clock);
    expect(await sender.drain()).toMatchObject({ held: 1 });
    clock.set('2026-12-02T13:00:00Z');
    expect(await sender.drain()).toMatchObject({ sent: 1 });
    expect((await rowOf(db.pool, id)).status).toBe('sent');
    expect(sent).toHaveLength(1);
  });

  it('does not send a message whose deadline passed while it waited for a retry', async () => {
    const tenantId = await makeTenant(db.pool);
    const clock = new ManualClock('2026-12-02T15:00:00Z');
    const id = await queue(db.pool, { tenantId, channel: 'email', recipient: 'late@example.com', sendAt: clock.now(), sendBefore: new Date('2026-12-02T14:59:59Z') });
    const { sender } = senderAt(clock);
    expect(await sender.drain()).toMatchObject({ obsolete: 1, sent: 0 });
    expect((await rowOf(db.pool, id)).lastError).toMatch(/deadline 2026-12-02T14:59:59.000Z has passed/);
  });
});

describe('enqueueOutboxMessage about an appointment', () => {
  it('refuses an `about` naming another appointment than appointmentId, naming the field', async () => {
    const tenantId = await makeTenant(db.pool);
    const error = await withTransaction(db.pool, (client) =>
      enqueueOutboxMessage(client, {
        tenantId, channel: 'sms', template: 'reminder', recipient: '+15550107072', body: 'x', idempotencyKey: 'k',
        appointmentId: '00000000-0000-4000-8000-000000000001',
        about: { appointmentId: '00000000-0000-4000-8000-000000000002', changeSeq: 1, status: 'booked' },
      }),
    ).catch((e: unknown) => e);
    expect(isChannelError(error, 'VALIDATION') && error.field).toBe('about.appointmentId');
  });

  it('ends a message about an appointment that does not exist as obsolete', async () => {
    const tenantId = await makeTenant(db.pool);
    const clock = new ManualClock('2026-12-02T15:00:00Z');
    const id = await queue(db.pool, {
      tenantId, channel: 'email', recipient: 'ghost@example.com', sendAt: clock.now(),
      about: { appointmentId: '00000000-0000-4000-8000-000000000003', changeSeq: 1, status: 'booked' },
    });
    await senderAt(clock).sender.drain();
    expect(await rowOf(db.pool, id)).toMatchObject({ status: 'obsolete', lastError: 'obsolete: the appointment no longer exists' });
  });
});
