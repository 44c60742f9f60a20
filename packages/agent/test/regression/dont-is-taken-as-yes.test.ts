import { createBookingEngine, type Appointment, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, conversation, createWorld, ny, type World } from '../support.js';

let world: World;
let engine: BookingEngine;
beforeAll(async () => {
  world = await createWorld();
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
});
afterAll(async () => world.db.drop());

let seeded = 0;
async function seedBooking(start: string, email: string): Promise<Appointment> {
  seeded += 1;
  const sessionId = `seed-${seeded}`;
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start, sessionId });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId, client: { name: 'Ana Silva', email } });
}

async function statusOf(reference: string): Promise<string> {
  return (await appointments(world)).find((a) => a.reference === reference)!.status;
}

// Issue 12: "Shall I cancel it?" → "Please don't cancel it, I'll keep it." → the booking was
// cancelled, because consent was "the first word is yes-like".
describe('regression: a "don\'t" is taken as a yes', () => {
  it.each([
    ["Please don't cancel it, I'll keep it.", '10T10:00'],
    ['Ok no, leave it as it is.', '10T11:00'],
    ['Perfect, I would rather keep it actually', '10T12:00'],
    ["Fine, don't cancel it.", '10T13:00'],
    ['please do not cancel', '10T14:00'],
    ['No la canceles, por favor', '10T15:00'],
  ])('"%s" leaves the booking as it is', async (reply, time) => {
    const booking = await seedBooking(ny(`2026-03-${time}`), `ana-${time.replace(/\W/g, '')}@example.com`);
    const c = conversation(world, `dont-${time.replace(/\W/g, '')}`);
    const asked = await c.say(`I want to cancel ${booking.reference}, email ana-${time.replace(/\W/g, '')}@example.com`);
    expect(asked.reply).toMatch(/Shall I cancel it\?/);
    const answer = await c.say(reply);
    expect(await statusOf(booking.reference)).toBe('booked');
    expect(answer.reply).not.toMatch(/has been cancelled/);
    expect(answer.events.filter((e) => e.type === 'booking')).toEqual([]);
  });

  it('never cancels another booking the "yes" mentions as staying as it is', async () => {
    const shown = await seedBooking(ny('2026-03-12T10:00'), 'ana-two@example.com');
    const other = await seedBooking(ny('2026-03-12T11:00'), 'ana-two@example.com');
    const c = conversation(world, 'dont-other-reference');
    await c.say(`I want to cancel ${shown.reference}, email ana-two@example.com`);
    await c.say(`Yes please. I also have ${other.reference}, that one stays as it is.`);
    // The policy's consent check reads the reply against the booking the call acts on.
    expect(await statusOf(other.reference)).toBe('booked');
  });

  it('still cancels on a clear yes', async () => {
    const booking = await seedBooking(ny('2026-03-11T10:00'), 'ana-yes@example.com');
    const c = conversation(world, 'dont-control');
    await c.say(`I want to cancel ${booking.reference}, email ana-yes@example.com`);
    await c.say('Yes, cancel it');
    expect(await statusOf(booking.reference)).toBe('cancelled');
  });
});
