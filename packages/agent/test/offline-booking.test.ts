import { createBookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../src/index.js';
import { activeHolds, appointments, conversation, createWorld, ny, startOfTest, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld({ tenant: { overrides: [{ date: '2026-03-12', reason: 'Staff training' }] } });
});
afterAll(async () => world.db.drop());

function offered(turn: TurnResult): string[] {
  const event = turn.events.find((e) => e.type === 'slots');
  return event?.type === 'slots' ? event.slots.map((s) => s.start) : [];
}

async function appointmentOf(sessionId: string) {
  return (await appointments(world)).filter((a) => a.session_id === sessionId);
}

describe('offline brain: booking', () => {
  it('books "next Tuesday after 3" from an offered slot, after a summary and a yes', async () => {
    const c = conversation(world, 'book-after-3');
    const first = await c.say('Hi, I would like to book a consultation next Tuesday after 3');
    expect(first.reply).toMatch(/after 3:00 PM on Tuesday, March 10/i);
    const starts = offered(first);
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((s) => new Date(s) >= new Date(ny('2026-03-10T15:00')))).toBe(true);
    const held = await c.say('1');
    expect(held.reply).toMatch(/holding Tue, Mar 10, 3:00 PM/);
    expect(await activeHolds(world, 'book-after-3')).toHaveLength(1);
    const summary = await c.say('Ana Silva, ana@example.com');
    expect(summary.reply).toMatch(/To confirm: Consultation on Tue, Mar 10, 3:00 PM for Ana Silva \(ana@example.com\)\. Shall I book it\?/);
    expect(await appointmentOf('book-after-3')).toHaveLength(0);
    const done = await c.say('Yes please');
    expect(done.reply).toMatch(/You're booked: Consultation .* Tue, Mar 10, 3:00 PM\. Your reference is GM-[0-9A-Z]{5}/);
    const [row] = await appointmentOf('book-after-3');
    expect(row).toMatchObject({ status: 'booked', client_name: 'Ana Silva', client_email: 'ana@example.com' });
    expect(row!.starts_at.toISOString()).toBe(ny('2026-03-10T15:00'));
    expect(done.reply).toContain(row!.reference);
    expect(done.events).toContainEqual(expect.objectContaining({ type: 'booking', action: 'created', reference: row!.reference }));
  });

  it('offers the earliest openings when the customer names no time', async () => {
    const c = conversation(world, 'book-no-time');
    const first = await c.say('Can I book a follow-up?');
    expect(first.reply).toMatch(/Here are open times for Follow-up in the next few days/);
    const starts = offered(first);
    // Minimum notice is 60 minutes: nothing before 10:00 today.
    expect(new Date(starts[0]!).getTime()).toBeGreaterThanOrEqual(Date.parse(startOfTest) + 60 * 60_000);
    await c.say('1');
    const summary = await c.say("I'm Ben Ode, my number is (555) 201-3344");
    expect(summary.reply).toMatch(/for Ben Ode \(\+15552013344\)/);
    await c.say('ok');
    const [row] = await appointmentOf('book-no-time');
    expect(row).toMatchObject({ status: 'booked', client_phone: '+15552013344', client_email: null });
    expect(row!.starts_at.toISOString()).toBe(new Date(starts[0]!).toISOString());
  });

  it('asks which service when the request names none', async () => {
    const c = conversation(world, 'book-which-service');
    const first = await c.say('I want to make an appointment');
    expect(first.reply).toMatch(/Which service would you like: Consultation, Extended session or Follow-up\?/);
    const second = await c.say('The extended session please, on Monday morning');
    expect(second.reply).toMatch(/Extended session before 12:00 PM on Monday, March 9/);
    expect(await activeHolds(world, 'book-which-service')).toHaveLength(0);
  });

  it('holds the exact time asked for ("tomorrow at noon") without offering a list', async () => {
    const c = conversation(world, 'book-noon');
    const first = await c.say('Book me a consultation tomorrow at noon');
    expect(first.reply).toMatch(/holding Fri, Mar 6, 12:00 PM/);
    const [hold] = await activeHolds(world, 'book-noon');
    expect(hold!.starts_at.toISOString()).toBe(ny('2026-03-06T12:00'));
    await c.say('Cleo Park, cleo@example.com');
    await c.say('yes');
    expect((await appointmentOf('book-noon'))[0]!.starts_at.toISOString()).toBe(ny('2026-03-06T12:00'));
  });

  it('understands "the 14th in the morning" in the tenant zone', async () => {
    world.clock.set('2026-04-06T13:00:00Z'); // Monday April 6, 09:00 in New York; the 14th is a Tuesday
    try {
      const c = conversation(world, 'book-14th');
      const first = await c.say('a follow-up on the 14th in the morning please');
      expect(first.reply).toMatch(/before 12:00 PM on Tuesday, April 14/);
      const starts = offered(first);
      expect(starts.length).toBeGreaterThan(0);
      for (const start of starts) expect(start).toMatch(/^2026-04-14T(09|10|11):/);
      // Picking by time, as an SMS customer would: "the 10:30 one".
      const label = first.reply.split('\n')[2]!.replace(/^\d\. Tue, Apr 14, /, '');
      const held = await c.say(`the ${label.replace(' AM', '')} one`);
      expect(held.reply).toContain(`holding Tue, Apr 14, ${label}`);
      expect(await activeHolds(world, 'book-14th')).toHaveLength(1);
    } finally {
      world.clock.set(startOfTest);
    }
  });

  it('takes only a time, picks the earliest day with it, and moves to the corrected day', async () => {
    const c = conversation(world, 'book-correct-day');
    const first = await c.say('A consultation at 2pm');
    expect(first.reply).toMatch(/holding Thu, Mar 5, 2:00 PM/);
    const corrected = await c.say('Actually, make it Monday');
    expect(corrected.reply).toMatch(/holding Mon, Mar 9, 2:00 PM/);
    const holds = await activeHolds(world, 'book-correct-day');
    // One live hold per conversation: the Thursday hold was released when Monday was won.
    expect(holds.map((h) => h.starts_at.toISOString())).toEqual([ny('2026-03-09T14:00')]);
  });

  it('lets the customer switch service mid-way and starts the search again', async () => {
    const c = conversation(world, 'book-switch-service');
    await c.say('consultation on Wednesday');
    const switched = await c.say('Sorry, I meant a follow-up');
    expect(switched.reply).toMatch(/open times for Follow-up on Wednesday, March 11/);
    expect(switched.events).toContainEqual(expect.objectContaining({ type: 'slots', serviceId: world.services.followUp }));
  });

  it('refuses a past date and asks for an upcoming one', async () => {
    const c = conversation(world, 'book-past');
    const first = await c.say('I need a consultation yesterday');
    expect(first.reply).toMatch(/Wednesday, March 4 has already passed\. Which upcoming day/);
    const second = await c.say('March 3 then');
    expect(second.reply).toMatch(/already passed/);
    expect(await activeHolds(world, 'book-past')).toHaveLength(0);
    const third = await c.say('Friday');
    expect(third.reply).toMatch(/open times for Consultation on Friday, March 6/);
  });

  it('asks before holding a date more than 30 days ahead, and holds after the yes', async () => {
    const c = conversation(world, 'book-far');
    const first = await c.say('Consultation on April 20 at 10am');
    expect(first.reply).toMatch(/Just to double-check: Mon, Apr 20, 10:00 AM is 46 days from today\. Is that the date you want\?/);
    expect(await activeHolds(world, 'book-far')).toHaveLength(0);
    const second = await c.say('Yes, that is right');
    expect(second.reply).toMatch(/holding Mon, Apr 20, 10:00 AM/);
    expect(await activeHolds(world, 'book-far')).toHaveLength(1);
    await c.say('Dev Rao dev@example.com');
    await c.say('yes');
    expect((await appointmentOf('book-far'))[0]!.starts_at.toISOString()).toBe(ny('2026-04-20T10:00'));
  });

  it('drops a far date the customer does not confirm', async () => {
    const c = conversation(world, 'book-far-no');
    await c.say('Follow-up on April 21 at 11am');
    const second = await c.say('No');
    expect(second.reply).toMatch(/Which day would you prefer instead\?/);
    expect(await activeHolds(world, 'book-far-no')).toHaveLength(0);
  });

  it('re-offers when the picked slot is taken between the offer and the hold', async () => {
    const c = conversation(world, 'book-race');
    const first = await c.say('consultation on Friday afternoon');
    const [taken] = offered(first);
    const engine = createBookingEngine({ pool: world.pool, clock: world.clock });
    await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start: taken!, sessionId: 'someone-else' });
    const engineHolds = await activeHolds(world, 'someone-else');
    expect(engineHolds).toHaveLength(1);
    const second = await c.say('1');
    expect(second.reply).toMatch(/Sorry, Fri, Mar 6, 12:00 PM was just taken by someone else\./);
    expect(offered(second)).not.toContain(taken);
    expect(await activeHolds(world, 'book-race')).toHaveLength(0);
    await c.say('1');
    expect(await activeHolds(world, 'book-race')).toHaveLength(1);
  });

  it('books nothing when the customer says no at the summary, then books another time', async () => {
    const c = conversation(world, 'book-no-then-yes');
    await c.say('follow-up on Wednesday morning');
    await c.say('1');
    await c.say('Eve Lin, eve@example.com');
    const no = await c.say('No');
    expect(no.reply).toMatch(/OK — nothing booked: I've let go of Wed, Mar 11, 9:00 AM\. Here are some other open times/);
    expect(await appointmentOf('book-no-then-yes')).toHaveLength(0);
    await c.say('2');
    const summary = await c.say('fine');
    expect(summary.reply).toMatch(/Shall I book it\?|You're booked/);
    if (/Shall I book it/.test(summary.reply)) await c.say('yes');
    expect(await appointmentOf('book-no-then-yes')).toHaveLength(1);
    expect(await activeHolds(world, 'book-no-then-yes')).toHaveLength(0);
  });

  it('shows other times on "another time" and asks for another day on "none of these"', async () => {
    const c = conversation(world, 'book-another');
    const first = await c.say('consultation Thursday March 19');
    const more = await c.say('Do you have another time?');
    expect(more.reply).toMatch(/Here are some other open times/);
    expect(offered(more).some((s) => offered(first).includes(s))).toBe(false);
    const none = await c.say('no, none of those');
    expect(none.reply).toMatch(/Which other day would suit you\?/);
  });

  it('stops and changes nothing when the customer changes their mind', async () => {
    const c = conversation(world, 'book-never-mind');
    const held = await c.say('follow-up tomorrow at 3pm');
    expect(held.reply).toMatch(/I'm holding Fri, Mar 6, 3:00 PM/);
    expect(await activeHolds(world, 'book-never-mind')).toHaveLength(1);
    const stop = await c.say('never mind, I changed my mind');
    expect(stop.reply).toMatch(/let go of the time I was holding for you, and nothing was booked/);
    expect(await appointmentOf('book-never-mind')).toHaveLength(0);
    // The slot is free for others at once, not when the hold lapses; the release is audited.
    expect(await activeHolds(world, 'book-never-mind')).toHaveLength(0);
    const { rows } = await world.pool.query(`SELECT status FROM holds WHERE session_id = 'book-never-mind'`);
    expect(rows).toEqual([{ status: 'released' }]);
    const audit = await world.pool.query(`SELECT action, outcome FROM audit_log WHERE session_id = 'book-never-mind' AND action = 'booking.release'`);
    expect(audit.rows).toEqual([{ action: 'booking.release', outcome: 'succeeded' }]);
    const after = await c.say('hello');
    expect(after.reply).toMatch(/automated booking assistant/);
  });

  it('takes the slot again when the hold lapsed before the yes', async () => {
    const c = conversation(world, 'book-lapse');
    await c.say('follow-up on Thursday March 26 at 9am');
    await c.say('Finn Ng, finn@example.com');
    world.clock.advance(6 * 60_000); // past the 5-minute hold
    try {
      const lapsed = await c.say('yes');
      expect(lapsed.reply).toMatch(/The hold on that time ran out, so I took Thu, Mar 26, 9:00 AM again for you\. Shall I book it now\?/);
      expect(await appointmentOf('book-lapse')).toHaveLength(0);
      await c.say('yes');
      expect((await appointmentOf('book-lapse'))[0]!.starts_at.toISOString()).toBe(ny('2026-03-26T09:00'));
    } finally {
      world.clock.set(startOfTest);
    }
  });

  it('uses the verified SMS number as the contact and asks only for a name', async () => {
    const c = conversation(world, 'sms-verified', { channel: 'sms', verifiedContact: { phone: '+15550001111' } });
    const first = await c.say('book a follow-up Monday at 9:30');
    expect(first.reply).toMatch(/What name should I put the booking under\?/);
    const summary = await c.say('Gia Moss');
    expect(summary.reply).toMatch(/for Gia Moss \(\+15550001111\)/);
    await c.say('Y');
    expect((await appointmentOf('sms-verified'))[0]).toMatchObject({ client_name: 'Gia Moss', client_phone: '+15550001111' });
  });

  it('offers the waitlist when nothing is free and adds the customer', async () => {
    const c = conversation(world, 'waitlist-closed-day');
    const first = await c.say('consultation on March 12');
    expect(first.reply).toMatch(/nothing free for Consultation on Thursday, March 12\. Would you like me to put you on the waitlist/);
    const second = await c.say('yes please');
    expect(second.reply).toMatch(/name and email address or phone number/);
    const third = await c.say('Hal Ito, hal@example.com');
    expect(third.reply).toMatch(/You're on the waitlist for Consultation on Thursday, March 12/);
    const rows = await world.pool.query('SELECT client_name, client_email, window_start, window_end, session_id FROM waitlist_entries WHERE session_id = $1', ['waitlist-closed-day']);
    expect(rows.rows).toEqual([{ client_name: 'Hal Ito', client_email: 'hal@example.com', window_start: new Date(ny('2026-03-12T00:00')), window_end: new Date(ny('2026-03-13T00:00')), session_id: 'waitlist-closed-day' }]);
  });

  it('joins the waitlist when asked directly', async () => {
    const c = conversation(world, 'waitlist-direct');
    const first = await c.say('Please put me on the waitlist for a follow-up next Friday');
    expect(first.reply).toMatch(/What name and email address or phone number/);
    const second = await c.say('my name is Ivy Chu and my email is ivy@example.com');
    expect(second.reply).toMatch(/You're on the waitlist for Follow-up on Friday, March 13/);
    expect((await world.pool.query('SELECT count(*)::int AS n FROM waitlist_entries WHERE session_id = $1', ['waitlist-direct'])).rows[0].n).toBe(1);
  });
});
