// Issue 17, item 4: staff are notified when a conversation needs a person — an email and/or an SMS
// to the tenant's on-duty contact (`settings.onDuty`) through the outbox.
import { recordEvent, withTransaction } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueue } from '../src/queue/install.js';
import { actionsOf, makeHarness, makeTenant, outboxOf, runDueJobs } from './helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

async function needsStaff(tenantId: string, at: Date, sessionId = 'sms_0123456789abcdef0123456789abcdef'): Promise<number> {
  return withTransaction(db.pool, (client) =>
    recordEvent(client, { tenantId, type: 'conversation.needs_staff', sessionId, payload: { reason: 'asked', channel: 'sms' }, occurredAt: at }),
  );
}

describe('conversation.needs_staff', () => {
  it('notifies the on-duty contact by email and SMS through the outbox, naming the conversation and not the customer', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool, { onDuty: { email: 'desk@example.com', phone: '+15550102020' } });
    const eventId = await needsStaff(tenant.id, h.clock.now());
    await runDueJobs(db.pool, h.tasks);
    const outbox = await outboxOf(db.pool, tenant.id);
    expect(outbox.map((r) => [r.template, r.channel, r.recipient, r.idempotencyKey])).toEqual([
      ['staff_handoff', 'email', 'desk@example.com', `handoff:${eventId}:email`],
      ['staff_handoff', 'sms', '+15550102020', `handoff:${eventId}:sms`],
    ]);
    expect(outbox[1]!.body).toMatch(/needs a person \(asked for a person\).*Conversation sms_0123/);
    expect((await actionsOf(db.pool, tenant.id)).map((a) => `${a.tool}/${a.action}/${a.outcome}`)).toEqual(['notify_on_duty/notify.email/done', 'notify_on_duty/notify.sms/done']);
  });

  it('sends nothing when the tenant has no on-duty contact', async () => {
    const h = makeHarness(db.pool);
    const tenant = await makeTenant(db.pool);
    await needsStaff(tenant.id, h.clock.now());
    await runDueJobs(db.pool, h.tasks);
    expect(await outboxOf(db.pool, tenant.id)).toEqual([]);
  });
});
