import { createBookingEngine, type Appointment, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHolds, appointments, conversation, createWorld, ny, startOfTest, waitlist, type World } from './support.js';

// Issue 12, items 2 and 9: each failure the issue lists, named after it, checked in the database.
let world: World;
let engine: BookingEngine;
beforeAll(async () => {
  world = await createWorld();
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
});
afterAll(async () => world.db.drop());

let seeded = 0;
async function seedBooking(start: string, client: { name: string; email?: string }): Promise<Appointment> {
  seeded += 1;
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start, sessionId: `seed-${seeded}` });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId: `seed-${seeded}`, client });
}

async function rowOf(reference: string) {
  return (await appointments(world)).find((r) => r.reference === reference)!;
}

async function bookedIn(sessionId: string) {
  return (await appointments(world)).filter((a) => a.session_id === sessionId && a.status === 'booked');
}

describe('regression: the summary is the contract (issue 12 item 2)', () => {
  it('regression: a reference mentioned in the yes swaps the booking acted on', async () => {
    const shown = await seedBooking(ny('2026-03-16T09:00'), { name: 'Ida Moss', email: 'ida@example.com' });
    const other = await seedBooking(ny('2026-03-16T10:00'), { name: 'Ida Moss', email: 'ida@example.com' });
    const c = conversation(world, 'pinned-cancel');
    const summary = await c.say(`Please cancel ${shown.reference}, ida@example.com`);
    expect(summary.reply).toContain(`(${shown.reference}). Shall I cancel it?`);
    const done = await c.say(`Yes please. I also have ${other.reference}, that one stays as it is.`);
    expect(done.reply).toContain(`(${shown.reference}) has been cancelled`);
    expect((await rowOf(shown.reference)).status).toBe('cancelled');
    expect((await rowOf(other.reference)).status).toBe('booked');
  });

  it('regression: a reference mentioned in the yes to a move moves another booking', async () => {
    const shown = await seedBooking(ny('2026-03-17T09:00'), { name: 'Al Roy', email: 'al@example.com' });
    const other = await seedBooking(ny('2026-03-17T10:00'), { name: 'Al Roy', email: 'al@example.com' });
    const c = conversation(world, 'pinned-move');
    const summary = await c.say(`Move ${shown.reference} to Wednesday March 18 at 2pm, al@example.com`);
    expect(summary.reply).toMatch(/Move your Consultation from Tue, Mar 17, 9:00 AM to Wed, Mar 18, 2:00 PM\?/);
    await c.say(`Yes. ${other.reference} is fine where it is.`);
    expect((await rowOf(shown.reference)).starts_at.toISOString()).toBe(ny('2026-03-18T14:00'));
    expect((await rowOf(other.reference)).starts_at.toISOString()).toBe(ny('2026-03-17T10:00'));
  });

  it('regression: "yes, 10am is perfect" restating the summary does not confirm it', async () => {
    const c = conversation(world, 'restated-yes');
    await c.say('A consultation on Tuesday March 10 at 10am please');
    const summary = await c.say('Ana Silva, ana@example.com');
    expect(summary.reply).toMatch(/To confirm: Consultation on Tue, Mar 10, 10:00 AM/);
    const done = await c.say('yes, 10am is perfect');
    expect(done.reply).toMatch(/You're booked: .* Tue, Mar 10, 10:00 AM/);
    const rows = await bookedIn('restated-yes');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.starts_at.toISOString()).toBe(ny('2026-03-10T10:00'));
  });

  it('regression: "Yes, 10am on December 2 is perfect" does not book and its own hold makes the slot look taken', async () => {
    const c = conversation(world, 'restated-date-yes');
    await c.say('I would like a consultation on March 11 at 10am');
    await c.say('Bo Chan, bo@example.com');
    const done = await c.say('Yes, 10am on March 11 is perfect');
    expect(done.reply).toMatch(/You're booked: .* Wed, Mar 11, 10:00 AM/);
    expect(await bookedIn('restated-date-yes')).toHaveLength(1);
    expect(await activeHolds(world, 'restated-date-yes')).toHaveLength(0);
  });

  it('answers a no with what stays as it is, and an unclear reply with a question', async () => {
    const booking = await seedBooking(ny('2026-03-19T09:00'), { name: 'Cy Dee', email: 'cy@example.com' });
    const c = conversation(world, 'unclear-cancel');
    await c.say(`cancel ${booking.reference} cy@example.com`);
    const unclear = await c.say('hmm, which one was that?');
    expect(unclear.reply).toMatch(/Just to be sure: shall I cancel your Consultation on Thu, Mar 19, 9:00 AM/);
    expect((await rowOf(booking.reference)).status).toBe('booked');
    const no = await c.say('no');
    expect(no.reply).toMatch(/OK — nothing changed: your Consultation on Thu, Mar 19, 9:00 AM \(GM-[0-9A-Z]{5}\) stays as it is/);
    expect((await rowOf(booking.reference)).status).toBe('booked');
  });
});

describe('regression: the offline brain understands (issue 12 item 9)', () => {
  it('regression: a closed day is never called closed (and a waitlist is offered for it)', async () => {
    const c = conversation(world, 'closed-sunday');
    const reply = await c.say('Can I book a consultation on Sunday?');
    expect(reply.reply).toMatch(/We're closed on Sundays, so Sunday, March 8 isn't possible\./);
    expect(reply.reply).toMatch(/Mon, Mar 9/);
    expect(reply.reply).not.toMatch(/waitlist/i);
    expect(await waitlist(world)).toHaveLength(0);
    const hours = await c.say('Are you open on Saturdays?');
    expect(hours.reply).toMatch(/closed on Saturdays\. We're next open Friday, March 6/);
  });

  it('regression: on a Sunday, "anything today?" offers a waitlist for the closed day', async () => {
    world.clock.set('2026-03-08T15:00:00Z'); // Sunday, 11:00 in New York
    try {
      const reply = await conversation(world, 'closed-today').say('Do you have a consultation today?');
      expect(reply.reply).toMatch(/We're closed on Sundays, so Sunday, March 8 isn't possible\. Here are open times for Consultation between Monday, March 9/);
      expect(reply.reply).not.toMatch(/waitlist/i);
      expect(await waitlist(world)).toHaveLength(0);
    } finally {
      world.clock.set(startOfTest);
    }
  });

  it('regression: a closed hour is taken as an ordinary wish', async () => {
    const c = conversation(world, 'closed-hour');
    const reply = await c.say('consultation on Tuesday March 10 at 7pm');
    expect(reply.reply).toMatch(/We're closed at 7:00 PM: on Tuesdays we're open 9:00 AM–5:00 PM\./);
    expect(await activeHolds(world, 'closed-hour')).toHaveLength(0);
  });

  it('regression: a past date is silently taken as next week\'s', async () => {
    for (const [session, text] of [['past-last-monday', 'consultation last Monday at 10'], ['past-weekday-ordinal', 'consultation on Tuesday the 3rd']] as const) {
      const reply = await conversation(world, session).say(text);
      expect(reply.reply).toMatch(/has already passed/);
      expect(await activeHolds(world, session)).toHaveLength(0);
    }
  });

  it('regression: a time that is not in the offered list loops on "Which of the times above suits you?"', async () => {
    const c = conversation(world, 'off-list');
    const offer = await c.say('consultation on Friday March 13');
    expect(offer.reply).not.toMatch(/9:30 AM/);
    const held = await c.say('9:30 works');
    expect(held.reply).not.toMatch(/Which of the times above/);
    expect(held.reply).toMatch(/holding Fri, Mar 13, 9:30 AM/);
    const [hold] = await activeHolds(world, 'off-list');
    expect(hold!.starts_at.toISOString()).toBe(ny('2026-03-13T09:30'));
  });

  it('regression: "when is my appointment? ref …, email …" starts a new booking', async () => {
    const booking = await seedBooking(ny('2026-03-20T11:00'), { name: 'Di Wu', email: 'di@example.com' });
    const before = (await appointments(world)).length;
    const c = conversation(world, 'lookup-when');
    const reply = await c.say(`When is my appointment? ref ${booking.reference}, email di@example.com`);
    expect(reply.reply).toContain(`Your Consultation is on Fri, Mar 20, 11:00 AM (reference ${booking.reference})`);
    expect(await activeHolds(world, 'lookup-when')).toHaveLength(0);
    expect(await appointments(world)).toHaveLength(before);
  });

  it('regression: a waitlist entry is accepted months past the booking window', async () => {
    const c = conversation(world, 'waitlist-far');
    const reply = await c.say('Put me on the waitlist for a consultation on July 20, Ed Poe, ed@example.com');
    expect(reply.reply).toMatch(/further ahead than we take bookings: the calendar is open up to Monday, May 4/);
    expect((await waitlist(world)).filter((w) => w.client_name === 'Ed Poe')).toHaveLength(0);
  });

  it('regression: a language the brain does not speak gets a booking flow in English', async () => {
    const c = conversation(world, 'french');
    const reply = await c.say('Bonjour, je voudrais un rendez-vous demain matin');
    expect(reply.reply).toMatch(/I can only help in English or Spanish/);
    expect(await activeHolds(world, 'french')).toHaveLength(0);
  });
});
