// Issue 14 item 2, end to end: a cancellation opens a slot, the worker offers it to the first person
// on the waitlist, and the customer takes it by replying YES through the real SMS webhook path (signed
// as Twilio signs it) into the real receptionist with its offline brain. Manual clock throughout.
import { createReceptionist, type Receptionist } from '@gomomo/agent';
import { addPhoneNumber, createInboundSmsHandler, type InboundSmsHandler } from '@gomomo/channels';
import { recordEvent, withTenant } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installQueue } from '../src/queue/install.js';
import { book, makeHarness, makeTenant, outboxOf, runDueJobs, type Harness } from './helpers.js';

const authToken = 'offer-test-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
let db: TestDatabase;
let h: Harness;
let tenant: { id: string; serviceId: string };
let clinicNumber: string;
let receptionist: Receptionist;
let sms: InboundSmsHandler;
let sidCounter = 0;
let numberCounter = 0;

function newPhone(): string {
  numberCounter += 1;
  return `+1202555${String(3000 + numberCounter)}`;
}

/** Texts the clinic through the webhook handler, signed like Twilio; returns the TwiML reply. */
async function text(from: string, body: string): Promise<string | null> {
  sidCounter += 1;
  const sid = `SM${String(sidCounter).padStart(32, '0')}`;
  const params = { MessageSid: sid, SmsMessageSid: sid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: clinicNumber, Body: body, NumMedia: '0', NumSegments: '1' };
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}/twilio/sms`, params);
  const response = await sms.handle({ url: '/twilio/sms', headers: { 'x-twilio-signature': signature }, body: params });
  expect(response.status).toBe(200);
  const match = /<Message>([\s\S]*?)<\/Message>/.exec(response.body);
  return match ? match[1]!.replace(/&apos;/g, "'").replace(/&amp;/g, '&') : null;
}

/** The opaque id of a phone's SMS conversation with the test clinic (channels' sms_conversations). */
async function smsThread(phone: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>('SELECT session_id AS id FROM sms_conversations WHERE tenant_id = $1 AND phone = $2', [tenant.id, phone]);
  return rows[0]?.id ?? '(no SMS conversation)';
}

async function join(name: string, contact: { email?: string; phone?: string }, sessionId?: string) {
  const entry = await h.engine.joinWaitlist({ tenantId: tenant.id, serviceId: tenant.serviceId, windowStart: '2026-12-01', windowEnd: '2026-12-10', client: { name, ...contact }, ...(sessionId ? { sessionId } : {}) });
  h.clock.advance(1000);
  return entry;
}

async function entries(): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ name: string; status: string }>('SELECT client_name AS name, status FROM waitlist_entries WHERE tenant_id = $1', [tenant.id]);
  return Object.fromEntries(rows.map((r) => [r.name, r.status]));
}

async function openOffers() {
  const { rows } = await db.pool.query<{ name: string; holdId: string; sessionId: string; slotStart: Date; status: string }>(
    `SELECT w.client_name AS name, o.hold_id AS "holdId", h.session_id AS "sessionId", o.slot_start AS "slotStart", o.status
       FROM waitlist_offers o JOIN waitlist_entries w ON w.id = o.waitlist_entry_id JOIN holds h ON h.id = o.hold_id
      WHERE o.tenant_id = $1 ORDER BY o.created_at`,
    [tenant.id],
  );
  return rows;
}

/** Lets the queue's own clock (the database's) catch up with the manual clock for jobs due by now. */
async function runJobsDueBy(at: Date): Promise<void> {
  await db.pool.query('UPDATE graphile_worker._private_jobs SET run_at = now() WHERE run_at <= $1 AND run_at > now()', [at]);
  await runDueJobs(db.pool, h.tasks);
  await runDueJobs(db.pool, h.tasks);
}

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

beforeEach(async () => {
  h = makeHarness(db.pool);
  tenant = await makeTenant(db.pool);
  clinicNumber = newPhone();
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinicNumber });
  receptionist = createReceptionist({ pool: db.pool, engine: h.engine, policy: h.policy, clock: h.clock });
  sms = createInboundSmsHandler({ pool: db.pool, receptionist, authToken, publicBaseUrl, clock: h.clock, replyMode: 'twiml' });
});

describe('waitlist offers', () => {
  it('regression: waitlist offers can\'t be taken up — cancel → offer → "YES" by SMS → booked', async () => {
    const bea = newPhone();
    const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com' });
    await join('Bea', { phone: bea, email: 'bea@example.com' }, 'web-bea');
    await join('Cy', { phone: newPhone() });
    await runDueJobs(db.pool, h.tasks);
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);

    // The hold belongs to Bea's SMS conversation with this clinic, not to a session nobody can use.
    const [offer] = await openOffers();
    expect(offer).toMatchObject({ name: 'Bea', sessionId: await smsThread(bea), status: 'open' });
    expect(offer!.sessionId).toMatch(/^sms_[0-9a-f]{32}$/);
    const message = (await outboxOf(db.pool, tenant.id)).find((r) => r.template === 'waitlist_offer' && r.channel === 'sms');
    expect(message?.body).toMatch(/Reply YES to book/);

    const reply = await text(bea, 'YES');
    expect(reply).toMatch(/^You're booked: .*Your reference is GM-/);
    const { rows } = await db.pool.query('SELECT client_name AS name, client_phone AS phone, status FROM appointments WHERE tenant_id = $1 AND starts_at = $2 AND status = $3', [
      tenant.id,
      new Date(appointment.start),
      'booked',
    ]);
    expect(rows).toEqual([{ name: 'Bea', phone: bea, status: 'booked' }]);
    await runDueJobs(db.pool, h.tasks);
    expect(await entries()).toEqual({ Bea: 'booked', Cy: 'waiting' });
    expect((await openOffers()).map((o) => o.status)).toEqual(['accepted']);
  });

  it('shows the offer when the reply is not a yes, and a "no" passes the slot to the next person at once', async () => {
    const bea = newPhone();
    const cy = newPhone();
    const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com' });
    await join('Bea', { phone: bea });
    await join('Cy', { phone: cy });
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    expect(await text(bea, 'which time was that?')).toMatch(/^Just to be sure: shall I book Consultation on .*\? Please answer yes or no\.$/);
    expect(await text(bea, 'no')).toMatch(/let that time go to the next person/);
    await runDueJobs(db.pool, h.tasks);
    expect(await entries()).toEqual({ Bea: 'waiting', Cy: 'offered' });
    expect((await openOffers()).map((o) => [o.name, o.sessionId, o.status])).toEqual([
      ['Bea', await smsThread(bea), 'lapsed'],
      ['Cy', await smsThread(cy), 'open'],
    ]);
    expect(await text(cy, 'yes')).toMatch(/^You're booked/);
  });

  it('regression: an offer lapses and the entry stays offered forever — it returns to waiting and the next person gets the slot', async () => {
    const cy = newPhone();
    const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com' });
    await join('Bea', { phone: newPhone() });
    await join('Cy', { phone: cy });
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    expect(await entries()).toEqual({ Bea: 'offered', Cy: 'waiting' });

    // Nobody answers; nothing else sweeps holds: the offer's own lapse job settles it on time.
    h.clock.advance(15 * 60_000 + 1000);
    await runJobsDueBy(h.clock.now());
    expect(await entries()).toEqual({ Bea: 'waiting', Cy: 'offered' });
    const offers = await openOffers();
    expect(offers.map((o) => [o.name, o.status])).toEqual([
      ['Bea', 'lapsed'],
      ['Cy', 'open'],
    ]);
    expect(offers[1]!.slotStart.toISOString()).toBe(new Date(appointment.start).toISOString());
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM domain_events WHERE tenant_id = $1 AND type = 'hold.expired'`, [tenant.id]);
    expect(rows).toEqual([{ n: 1 }]);
    // No "still interested?" follow-up for an offer's hold.
    const { rows: followups } = await db.pool.query(`SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'hold_followup'`);
    expect(followups).toEqual([]);

    // When Cy's lapses too and nobody else waits, the slot is simply free; Bea is not offered it again.
    h.clock.advance(15 * 60_000 + 1000);
    await runJobsDueBy(h.clock.now());
    expect(await entries()).toEqual({ Bea: 'waiting', Cy: 'waiting' });
    expect((await openOffers()).map((o) => o.status)).toEqual(['lapsed', 'lapsed']);
  });

  it('regression: offers go to customers who already booked in the window', async () => {
    const dee = newPhone();
    await book(h.engine, tenant, { name: 'Dee', phone: dee });
    const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com' });
    await join('Dee', { phone: dee });
    await join('Eve', { email: 'eve@example.com' }, 'web-eve');
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    expect(await entries()).toEqual({ Dee: 'waiting', Eve: 'offered' });
    // Email only: the hold belongs to the conversation Eve joined from, which can confirm it.
    expect((await openOffers()).map((o) => [o.name, o.sessionId])).toEqual([['Eve', 'web-eve']]);
    const result = await receptionist.handleTurn({ tenantId: tenant.id, sessionId: 'web-eve', channel: 'web', text: 'yes please' });
    expect(result.reply).toMatch(/^You're booked/);
  });

  it('regression: customers are offered slots in the past (slot.opened for a slot that has started)', async () => {
    await join('Fay', { phone: newPhone() });
    const past = new Date(h.clock.now().getTime() - 3_600_000).toISOString();
    await withTenant(
      db.pool,
      tenant.id,
      (client) => recordEvent(client, { tenantId: tenant.id, type: 'slot.opened', subjectId: null, payload: { serviceId: tenant.serviceId, start: past, cause: 'cancelled' }, occurredAt: h.clock.now() }),
      { isolation: 'read committed' },
    );
    await runDueJobs(db.pool, h.tasks);
    expect(await entries()).toEqual({ Fay: 'waiting' });
    expect(await openOffers()).toEqual([]);
  });

  it('lets a conversation that proves the entry\'s contact take the offer (a web chat that knows the phone)', async () => {
    const gil = newPhone();
    const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com' });
    await join('Gil', { phone: gil });
    await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
    await runDueJobs(db.pool, h.tasks);
    // Another conversation: the first turn proves nothing, so no offer is shown there.
    const stranger = await receptionist.handleTurn({ tenantId: tenant.id, sessionId: 'web-stranger', channel: 'web', text: 'yes' });
    expect(stranger.reply).not.toMatch(/booked/);
    // The phone verified by the channel proves the contact: the hold moves to that conversation.
    const result = await receptionist.handleTurn({ tenantId: tenant.id, sessionId: 'voice-gil', channel: 'web', text: 'yes', verifiedContact: { phone: gil } });
    expect(result.reply).toMatch(/^You're booked/);
  });
});
