// Issue 20 item 2: a proven contact (here the SMS sender's own number) links the conversation to
// what the business knows of the customer: greeted by name, offered "the same as last time", and
// not asked again for what is known.
import { createBookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, conversation, createWorld, ny, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
  const engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.followUp, start: ny('2026-03-09T10:00'), sessionId: 'staff-earlier' });
  await engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId: 'staff-earlier', client: { name: 'Rosa Díaz', phone: '+15550002222' } });
});
afterAll(async () => world.db.drop());

describe('returning customers', () => {
  it('greets a returning customer by name and books "the same as last time" without asking who they are', async () => {
    const c = conversation(world, 'sms:+15550002222', { channel: 'sms', verifiedContact: { phone: '+15550002222' } });
    const hello = await c.say('Hi!');
    expect(hello.reply).toMatch(/^Welcome back, Rosa! Would you like the same as last time: Follow-up with .+, in the morning\?/);
    const offer = await c.say('yes please');
    expect(offer.reply).toMatch(/Follow-up/);
    // The time of day they came: mornings only.
    expect(offer.reply).toMatch(/before 12:00 PM/);
    const slotLines = offer.reply.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(slotLines.length).toBeGreaterThan(0);
    expect(slotLines.filter((line) => /PM/.test(line))).toEqual([]);
    const summary = await c.say('1');
    expect(summary.reply).toMatch(/^To confirm: Follow-up with Dr\. (Rivera|Chen) on .+ AM for Rosa Díaz \(.*2222\)\. Shall I book it\?/);
    await c.say('yes');
    const made = (await appointments(world)).filter((a) => a.session_id === 'sms:+15550002222' && a.status === 'booked');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ client_name: 'Rosa Díaz', client_phone: '+15550002222' });
  });

  it('treats a stranger as a stranger', async () => {
    const c = conversation(world, 'sms:+15550009999', { channel: 'sms', verifiedContact: { phone: '+15550009999' } });
    expect((await c.say('Hi!')).reply).not.toMatch(/Welcome back/);
  });

  it("an offered contact (a caller ID no carrier vouched for) is not greeted with the customer's profile, yet books with that number", async () => {
    const c = conversation(world, 'voice_offered_rosa', { channel: 'voice', offeredContact: { phone: '+15550002222' } });
    const hello = await c.say('Hi!');
    expect(hello.reply).not.toMatch(/Welcome back|Rosa|same as last time/);
    const offer = await c.say('I would like a follow-up on Tuesday March 10 in the morning');
    expect(offer.reply).toMatch(/Follow-up/);
    await c.say('1');
    const summary = await c.say('Ana Paz');
    // The caller's number is filled in as the contact, as before: only proof is withheld.
    expect(summary.reply).toMatch(/for Ana Paz \(.*2222\)\. Shall I book it\?/);
  });
});
