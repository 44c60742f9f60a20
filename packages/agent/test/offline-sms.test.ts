import { createBookingEngine, type Appointment, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, conversation, createWorld, ny, type World } from './support.js';

let world: World;
let engine: BookingEngine;
beforeAll(async () => {
  world = await createWorld();
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
});
afterAll(async () => world.db.drop());

let seeded = 0;
/** A booking made outside the chat (staff, the widget, an earlier conversation). */
async function seedBooking(start: string, client: { name: string; email?: string; phone?: string }): Promise<Appointment> {
  seeded += 1;
  const sessionId = `sms-seed-${seeded}`;
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start, sessionId });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId, client });
}

/** An SMS conversation: the channel verified the sender's number. */
function sms(sessionId: string, phone: string) {
  return conversation(world, sessionId, { channel: 'sms', verifiedContact: { phone } });
}

async function rowOf(reference: string): Promise<{ status: string; starts_at: Date }> {
  return (await appointments(world)).find((a) => a.reference === reference)!;
}

describe('offline brain over SMS: the verified phone', () => {
  it('asks only for the name when joining the waitlist, and uses the verified phone', async () => {
    const c = sms('sms-waitlist', '+15550100001');
    const ask = await c.say('Put me on the waitlist for a consultation on Monday');
    expect(ask.reply).toMatch(/What name should I put on the waitlist\?/);
    expect(ask.reply).not.toMatch(/email|phone number/i);
    const done = await c.say('Rae Lin');
    expect(done.reply).toMatch(/You're on the waitlist for Consultation on Monday, March 9/);
    const { rows } = await world.pool.query(`SELECT client_name, client_email, client_phone, status FROM waitlist_entries WHERE session_id = 'sms-waitlist'`);
    expect(rows).toEqual([{ client_name: 'Rae Lin', client_email: null, client_phone: '+15550100001', status: 'waiting' }]);
  });

  it("cancels the number's one upcoming booking without a reference, after naming it and a yes", async () => {
    const mine = await seedBooking(ny('2026-03-10T09:00'), { name: 'Ivy Park', phone: '+15550100002' });
    const theirs = await seedBooking(ny('2026-03-10T10:00'), { name: 'Other Person', phone: '+15550100099' });
    const c = sms('sms-cancel-one', '+15550100002');
    const found = await c.say('I need to cancel my appointment');
    expect(found.reply).toBe(`Your Consultation on Tue, Mar 10, 9:00 AM (${mine.reference})? Shall I cancel it?`);
    expect(found.reply).not.toContain(theirs.reference);
    expect((await rowOf(mine.reference)).status).toBe('booked');
    const done = await c.say('yes');
    expect(done.reply).toMatch(/has been cancelled/);
    expect((await rowOf(mine.reference)).status).toBe('cancelled');
    expect((await rowOf(theirs.reference)).status).toBe('booked');
    const { rows } = await world.pool.query(`SELECT action, outcome FROM audit_log WHERE session_id = 'sms-cancel-one' ORDER BY seq`);
    expect(rows).toEqual(
      expect.arrayContaining([
        { action: 'booking.list_own', outcome: 'succeeded' },
        { action: 'booking.cancel', outcome: 'succeeded' },
      ]),
    );
  });

  it('lists several upcoming bookings by number and moves the one picked', async () => {
    const first = await seedBooking(ny('2026-03-11T09:00'), { name: 'Ola Berg', phone: '+15550100003' });
    const second = await seedBooking(ny('2026-03-12T14:00'), { name: 'Ola Berg', phone: '+15550100003' });
    const cancelled = await seedBooking(ny('2026-03-13T09:00'), { name: 'Ola Berg', phone: '+15550100003' });
    await engine.cancel({ tenantId: world.tenant.id, reference: cancelled.reference, verify: { staff: true } });
    const c = sms('sms-resched-many', '+15550100003');
    const list = await c.say('I need to reschedule my appointment');
    expect(list.reply).toBe(
      `You have 2 upcoming appointments:\n1. Consultation on Wed, Mar 11, 9:00 AM (${first.reference})\n2. Consultation on Thu, Mar 12, 2:00 PM (${second.reference})\nWhich one would you like to move? Reply with its number.`,
    );
    const picked = await c.say('2');
    expect(picked.reply).toBe(`Your Consultation on Thu, Mar 12, 2:00 PM (${second.reference})? When would you like to move it to?`);
    const offer = await c.say('Friday at 11am');
    expect(offer.reply).toMatch(/Move your Consultation from Thu, Mar 12, 2:00 PM to Fri, Mar 6, 11:00 AM\?/);
    await c.say('yes');
    expect((await rowOf(second.reference)).starts_at.toISOString()).toBe(ny('2026-03-06T11:00'));
    expect((await rowOf(first.reference)).starts_at.toISOString()).toBe(ny('2026-03-11T09:00'));
  });

  it('asks again when the pick is not on the list', async () => {
    await seedBooking(ny('2026-03-16T09:00'), { name: 'Pia Holt', phone: '+15550100004' });
    await seedBooking(ny('2026-03-17T09:00'), { name: 'Pia Holt', phone: '+15550100004' });
    const c = sms('sms-bad-pick', '+15550100004');
    await c.say('cancel my appointment');
    const again = await c.say('7');
    expect(again.reply).toBe('Please reply with a number from 1 to 2.');
    expect((await appointments(world)).filter((a) => a.client_phone === '+15550100004').map((a) => a.status)).toEqual(['booked', 'booked']);
  });

  it('says so when the number has no upcoming bookings, revealing nobody else\'s', async () => {
    const other = await seedBooking(ny('2026-03-18T09:00'), { name: 'Quinn Ray', phone: '+15550100098' });
    const c = sms('sms-none', '+15550100005');
    const none = await c.say('I want to cancel my booking');
    expect(none.reply).toMatch(/couldn't find any upcoming appointments booked with this phone number/);
    expect(none.reply).not.toContain(other.reference);
    expect((await rowOf(other.reference)).status).toBe('booked');
  });

  it('keeps asking for the reference on web chat, even when a typed phone matches a booking', async () => {
    const booking = await seedBooking(ny('2026-03-19T09:00'), { name: 'Rex Moe', phone: '+15550100006' });
    const c = conversation(world, 'web-no-verified');
    const ask = await c.say('I need to cancel my appointment, my phone is 555-010-0006');
    expect(ask.reply).toMatch(/booking reference/);
    expect(ask.reply).not.toContain(booking.reference);
  });
});

describe('offline brain: far dates when rescheduling', () => {
  it('names the distance in the move question and moves after the yes', async () => {
    const booking = await seedBooking(ny('2026-03-20T09:00'), { name: 'Sam Dee', email: 'sam@example.com' });
    const c = conversation(world, 'resched-far');
    const ask = await c.say(`Please move ${booking.reference} to April 20 at 10am, sam@example.com`);
    expect(ask.reply).toBe('Just to double-check: Mon, Apr 20, 10:00 AM is 46 days from today. Move your Consultation from Fri, Mar 20, 9:00 AM to Mon, Apr 20, 10:00 AM?');
    expect((await rowOf(booking.reference)).starts_at.toISOString()).toBe(ny('2026-03-20T09:00'));
    const done = await c.say('yes');
    expect(done.reply).toMatch(/has been moved/);
    expect((await rowOf(booking.reference)).starts_at.toISOString()).toBe(ny('2026-04-20T10:00'));
  });

  it('leaves the booking where it was when the customer declines the far date', async () => {
    const booking = await seedBooking(ny('2026-03-23T09:00'), { name: 'Tia Vo', email: 'tia@example.com' });
    const c = conversation(world, 'resched-far-no');
    await c.say(`Please move ${booking.reference} to April 21 at 10am, tia@example.com`);
    const no = await c.say('no');
    expect(no.reply).not.toMatch(/moved/i);
    expect((await rowOf(booking.reference)).starts_at.toISOString()).toBe(ny('2026-03-23T09:00'));
  });
});
