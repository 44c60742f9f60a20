// End to end by SMS: signed Twilio webhooks into the real receptionist (@gomomo/agent with its
// offline brain, the booking engine and the policy engine on a real Postgres), and replies and
// reminders out through the real outbox sender to a fake Twilio speaking Twilio's API.
import { createReceptionist, type Receptionist } from '@gomomo/agent';
import { createBookingEngine, createTenant, demoTenantInput, withTransaction, type Tenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutboxMessage } from '../src/outbox/enqueue.js';
import { createOutboxSender } from '../src/outbox/sender.js';
import { createTwilioTransport } from '../src/sms/outbound/twilio.js';
import { createInboundSmsHandler } from '../src/sms/inbound/handler.js';
import { addPhoneNumber } from '../src/sms/inbound/phone-numbers.js';
import type { InboundSmsHandlerOptions } from '../src/sms/inbound/types.js';
import { startFakeTwilio, type FakeTwilio } from './fakes/fake-twilio.js';
import { authToken, inboundParams, newPhone, publicBaseUrl, signedRequest, twimlMessage } from './sms-webhook.js';

/** Thursday, March 5, 2026, 09:00 in New York. */
const clock = new ManualClock('2026-03-05T14:00:00Z');
const clinicNumber = '+12025550100';
let db: TestDatabase;
let tenant: Tenant;
let receptionist: Receptionist;
let twilio: FakeTwilio;

beforeAll(async () => {
  db = await createTestDatabase();
  twilio = await startFakeTwilio();
  tenant = await createTenant(db.pool, { ...demoTenantInput, slug: 'sms-e2e-clinic', lookaheadDays: 60 });
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinicNumber, label: 'main line' });
  const engine = createBookingEngine({ pool: db.pool, clock });
  receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock });
});

afterAll(async () => {
  await twilio?.close();
  await db?.drop();
});

function customer(from: string, overrides: Partial<InboundSmsHandlerOptions> = {}) {
  const handler = createInboundSmsHandler({ pool: db.pool, receptionist, authToken, publicBaseUrl, clock, ...overrides });
  return {
    handler,
    phone: from,
    async text(body: string): Promise<string | null> {
      const response = await handler.handle(signedRequest(inboundParams({ from, to: clinicNumber, body })));
      expect(response.status).toBe(200);
      return twimlMessage(response.body);
    },
  };
}

function sender() {
  const sms = createTwilioTransport({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: clinicNumber, httpClient: twilio.httpClient });
  return createOutboxSender({ pool: db.pool, transports: { sms }, clock, sendTimeoutMs: 2_000 });
}

async function appointmentOf(reference: string) {
  const { rows } = await db.pool.query<{ status: string; starts_at: Date; client_name: string; client_phone: string | null }>(
    'SELECT status, starts_at, client_name, client_phone FROM appointments WHERE tenant_id = $1 AND reference = $2',
    [tenant.id, reference],
  );
  return rows[0];
}

describe('booking by SMS through the offline brain', () => {
  it('books from a numbered list answered with "2", the sender’s number standing as the verified phone', async () => {
    const from = newPhone();
    const ana = customer(from);
    const offer = await ana.text('Hi, I would like to book a consultation next Tuesday after 3');
    expect(offer).toMatch(/^Here are open times for Consultation after 3:00 PM on Tuesday, March 10:\n1\. Tue, Mar 10, 3:00 PM\n2\. Tue, Mar 10, 3:15 PM\n/);
    expect(await ana.text('2')).toMatch(/holding Tue, Mar 10, 3:15 PM/);
    expect(await ana.text('Ana Silva')).toBe(`To confirm: Consultation on Tue, Mar 10, 3:15 PM for Ana Silva (${from}). Shall I book it?`);
    const done = await ana.text('yes');
    const reference = /GM-[0-9A-Z]{5}/.exec(done ?? '')?.[0];
    expect(done).toMatch(/^You're booked: Consultation .* Tue, Mar 10, 3:15 PM\. Your reference is GM-/);
    expect(await appointmentOf(reference!)).toEqual({ status: 'booked', starts_at: new Date('2026-03-10T19:15:00Z'), client_name: 'Ana Silva', client_phone: from });
  });

  it('reschedules and then cancels by SMS with only the reference: the phone is already verified', async () => {
    const from = newPhone();
    const ben = customer(from);
    await ben.text('Book me a consultation on Wednesday March 11 at 10am');
    await ben.text('Ben Ode');
    const reference = /GM-[0-9A-Z]{5}/.exec((await ben.text('yes')) ?? '')![0];
    expect(await appointmentOf(reference)).toMatchObject({ status: 'booked', starts_at: new Date('2026-03-11T14:00:00Z') });

    expect(await ben.text(`reschedule ${reference} to Friday at 11am`)).toMatch(/Move your Consultation from Wed, Mar 11, 10:00 AM to Fri, Mar 6, 11:00 AM\?/);
    expect(await ben.text('yes')).toMatch(new RegExp(`moved from Wed, Mar 11, 10:00 AM to Fri, Mar 6, 11:00 AM\\. Your reference is still ${reference}`));
    expect(await appointmentOf(reference)).toMatchObject({ status: 'booked', starts_at: new Date('2026-03-06T16:00:00Z') });

    // "cancel my appointment" is a booking request, not the carrier keyword CANCEL.
    expect(await ben.text(`cancel my appointment ${reference}`)).toMatch(/Shall I cancel it\?/);
    expect(await ben.text('yes')).toMatch(/has been cancelled/);
    expect(await appointmentOf(reference)).toMatchObject({ status: 'cancelled' });
    const { rows } = await db.pool.query("SELECT 1 FROM contact_consents WHERE tenant_id = $1 AND address = $2", [tenant.id, from]);
    expect(rows).toHaveLength(0);
  });

  it('answers hours and joins the waitlist by SMS', async () => {
    const cleo = customer(newPhone());
    expect(await cleo.text('what are your hours?')).toMatch(/open Monday-Friday 9:00 AM-5:00 PM/);
    expect(await cleo.text('put me on the waitlist for a consultation on Thursday March 12')).toMatch(/What name/);
    expect(await cleo.text('Cleo Park')).toMatch(/on the waitlist for Consultation on Thursday, March 12/);
    const { rows } = await db.pool.query('SELECT client_name, client_phone FROM waitlist_entries WHERE tenant_id = $1', [tenant.id]);
    expect(rows).toContainEqual({ client_name: 'Cleo Park', client_phone: cleo.phone });
  });

  it('sends a reply that missed the webhook deadline through the outbox and Twilio, once', async () => {
    const from = newPhone();
    const slow: Receptionist['handleTurn'] = async (input) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return receptionist.handleTurn(input);
    };
    const dee = customer(from, { receptionist: { handleTurn: slow }, replyTimeoutMs: 10 });
    expect(await dee.text('what are your hours?')).toBeNull();
    await dee.handler.drain();
    const result = await sender().drain();
    expect(result.sent).toBe(1);
    expect(twilio.received.filter((m) => m.to === from).map((m) => [m.from, m.body])).toEqual([[clinicNumber, expect.stringMatching(/open Monday-Friday/)]]);
  });
});

describe('consent by SMS', () => {
  it('after STOP, an attempted reminder ends opted_out and Twilio is never called', async () => {
    const from = newPhone();
    const eve = customer(from);
    expect(await eve.text('Stop')).toMatch(/you are unsubscribed/);
    const before = twilio.received.length;
    const { id } = await withTransaction(db.pool, (client) =>
      enqueueOutboxMessage(client, { tenantId: tenant.id, channel: 'sms', template: 'reminder', recipient: from, body: 'Reminder: Consultation tomorrow at 9:00 AM.', idempotencyKey: `reminder:${from}`, sendAt: clock.now() }),
    );
    const result = await sender().drain();
    expect(result.opted_out).toBe(1);
    expect(twilio.received.length).toBe(before);
    const { rows } = await db.pool.query<{ status: string }>('SELECT status FROM notification_outbox WHERE id = $1', [id]);
    expect(rows[0]!.status).toBe('opted_out');
  });
});
