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

let sessions = 0;
/** Every attempt in a fresh conversation: a new session id must not reset anything. */
function freshSession(clientAddress: string) {
  sessions += 1;
  return conversation(world, `guess-${sessions}`, { clientAddress });
}

async function seedBooking(start: string, email: string): Promise<Appointment> {
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start, sessionId: `seed-${email}` });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId: `seed-${email}`, client: { name: 'Pia Lund', email } });
}

const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function randomReference(seed: number): string {
  let code = '';
  for (let i = 0, n = seed * 7919 + 104_729; i < 5; i++, n = Math.floor(n / alphabet.length) + 31 * i) code += alphabet[n % alphabet.length];
  return `GM-${code}`;
}

const refused = /For your security/;

// Issue 12: a new session id reset the wrong-contact count, and unknown references never counted,
// so references (31^5 ≈ 28.6 M) could be tried at the full rate limit.
describe('regression: the wrong-contact limit is per session', () => {
  it('counts wrong contacts per reference across conversations: the right one is refused after three', async () => {
    const booking = await seedBooking(ny('2026-03-11T13:00'), 'pia@example.com');
    for (const [index, guess] of ['a@x.com', 'b@x.com', 'c@x.com'].entries()) {
      const turn = await freshSession(`198.51.100.${index + 1}`).say(`cancel ${booking.reference} ${guess}`);
      expect(turn.reply).toMatch(/couldn't find booking/);
    }
    const blocked = await freshSession('198.51.100.9').say(`cancel ${booking.reference} pia@example.com`);
    expect(blocked.reply).toMatch(refused);
    expect((await appointments(world)).find((a) => a.reference === booking.reference)!.status).toBe('booked');
  });

  it('bounds guessing references from one address to three an hour, across conversations and contacts', async () => {
    const address = '203.0.113.7';
    let reachedEngine = 0;
    for (let attempt = 0; attempt < 12; attempt++) {
      const turn = await freshSession(address).say(`cancel ${randomReference(attempt)} guess${attempt}@x.com`);
      if (!refused.test(turn.reply)) reachedEngine += 1;
    }
    expect(reachedEngine).toBe(3);
    // An hour on, the address gets its next three, and no more.
    world.clock.advance(60 * 60 * 1000 + 1000);
    let nextHour = 0;
    for (let attempt = 12; attempt < 20; attempt++) {
      const turn = await freshSession(address).say(`cancel ${randomReference(attempt)} guess${attempt}@x.com`);
      if (!refused.test(turn.reply)) nextHour += 1;
    }
    expect(nextHour).toBe(3);
    // So a 5-character reference space of 31^5 codes takes this address millions of hours to walk.
    expect(31 ** 5 / nextHour).toBeGreaterThan(9_000_000);
  });

  it('counts per contact too: one email guessing many references from many addresses', async () => {
    let reachedEngine = 0;
    for (let attempt = 100; attempt < 108; attempt++) {
      const turn = await freshSession(`192.0.2.${attempt}`).say(`cancel ${randomReference(attempt)} same@x.com`);
      if (!refused.test(turn.reply)) reachedEngine += 1;
    }
    expect(reachedEngine).toBe(3);
  });

  it('leaves other customers alone: a fresh reference, contact and address still look up', async () => {
    const booking = await seedBooking(ny('2026-03-12T13:00'), 'kai@example.com');
    const turn = await freshSession('198.51.100.77').say(`cancel ${booking.reference} kai@example.com`);
    expect(turn.reply).toMatch(/Shall I cancel it\?/);
    const { rows } = await world.pool.query('SELECT key_kind, length(key_hash) AS len FROM agent_lookup_attempts WHERE tenant_id = $1 LIMIT 1', [world.tenant.id]);
    // Keys are hashes: the table holds no contacts or addresses.
    expect(rows[0].len).toBe(64);
  });
});
