import { createPostmarkTransport, createTwilioTransport, handleTwilioStatusCallback } from '@gomomo/channels';
import { createBookingEngine } from '@gomomo/core';
import { ManualClock, countListeningConnections, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePostmark, type FakePostmark } from '../../channels/test/fakes/fake-postmark.js';
import { startFakeTwilio, type FakeTwilio } from '../../channels/test/fakes/fake-twilio.js';
import { startAutonomy } from '../src/start.js';
import { actionsOf, book, makeTenant, outboxOf } from './helpers.js';

let db: TestDatabase;
let postmark: FakePostmark;
let twilio: FakeTwilio;

beforeAll(async () => {
  db = await createTestDatabase({ max: 20 });
  postmark = await startFakePostmark();
  twilio = await startFakeTwilio();
});
afterAll(async () => {
  await postmark?.close();
  await twilio?.close();
  await db?.drop();
});

describe('autonomy smoke', () => {
  it('walks booking → job → audited tool calls → outbox rows → sent by the providers → delivered', async () => {
    const clock = new ManualClock('2026-12-01T12:00:00Z');
    const engine = createBookingEngine({ pool: db.pool, clock });
    const callbackUrl = 'https://api.example.com/webhooks/twilio/status';
    const autonomy = await startAutonomy({
      pool: db.pool,
      clock,
      engine,
      config: { concurrency: 2 },
      transports: {
        email: createPostmarkTransport({ serverToken: postmark.token, from: 'Demo Clinic <hi@example.com>', requestHost: postmark.host, useHttps: false }),
        sms: createTwilioTransport({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550000000', statusCallbackUrl: callbackUrl, httpClient: twilio.httpClient }),
      },
      log: () => undefined,
    });
    try {
      // With no host feed (as in gomomo-worker), the runner and the sender share one LISTEN
      // connection of their own; graphile-worker keeps its own beside it.
      for (let i = 0; i < 50 && (await countListeningConnections(db.pool)) < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await countListeningConnections(db.pool)).toBe(2);
      const tenant = await makeTenant(db.pool);
      const appointment = await book(engine, tenant, { name: 'Ana López', email: 'ana@example.com', phone: '+15550101010' });
      const until = Date.now() + 15_000;
      while ((await outboxOf(db.pool, tenant.id)).filter((r) => r.status === 'sent').length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));

      const outbox = await outboxOf(db.pool, tenant.id);
      expect(outbox.map((r) => [r.template, r.channel, r.status])).toEqual([
        ['confirmation', 'email', 'sent'],
        ['confirmation', 'sms', 'sent'],
      ]);
      const email = postmark.received.find((m) => m.to === 'ana@example.com')!;
      expect(email.subject).toContain('Confirmed');
      expect(Buffer.from(email.attachments[0]!.Content, 'base64').toString()).toContain(`UID:${appointment.id}@gomomo`);
      const sms = twilio.received.find((m) => m.to === '+15550101010')!;
      expect(sms.body).toContain(appointment.reference);
      expect(sms.body.length).toBeLessThanOrEqual(160);

      const { rows: receipts } = await db.pool.query(`SELECT r.outcome FROM autonomy_event_receipts r JOIN domain_events e ON e.id = r.event_id WHERE e.tenant_id = $1 AND e.type = 'booking.created'`, [tenant.id]);
      expect(receipts).toEqual([{ outcome: 'done,done,done' }]);
      expect((await actionsOf(db.pool, tenant.id)).map((a) => `${a.tool}:${a.decision}`)).toEqual([
        'send_confirmation:allowed',
        'send_confirmation:allowed',
        'schedule_reminders:allowed',
      ]);

      const params = { MessageSid: sms.sid, MessageStatus: 'delivered' };
      await handleTwilioStatusCallback({ pool: db.pool, authToken: twilio.authToken }, { url: callbackUrl, params, signature: getExpectedTwilioSignature(twilio.authToken, callbackUrl, params) });
      expect((await outboxOf(db.pool, tenant.id)).find((r) => r.channel === 'sms')!.status).toBe('delivered');
    } finally {
      await autonomy.stop();
    }
    for (let i = 0; i < 50 && (await countListeningConnections(db.pool)) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await countListeningConnections(db.pool)).toBe(0);
  });
});
