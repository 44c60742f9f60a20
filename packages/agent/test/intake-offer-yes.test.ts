// Issue 20 item 3, a sibling of "confirm refuses a booking whose required intake answers are
// missing": a waitlist offer answered YES by text skips the booking flow's questions (the offer
// message is its summary). The offline brain is refused like any brain and asks them instead.
import { createBookingEngine, markEntryOffered, readIntakeAnswers, setIntakeQuestions, withTenant } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, createWorld, ny, type World } from './support.js';

let world: World;
const phone = '+15550004444';
const sessionId = `sms:${phone}`;

beforeAll(async () => {
  world = await createWorld();
  await setIntakeQuestions(world.pool, {
    tenantId: world.tenant.id,
    serviceId: world.services.consultation,
    questions: [{ key: 'first_visit', kind: 'yes_no', required: true, prompt: { en: 'Is this your first visit?' } }],
  });
  // What autonomy's waitlist offer does: hold the freed slot in the SMS conversation, mark the entry offered.
  const engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  const entry = await engine.joinWaitlist({ tenantId: world.tenant.id, serviceId: world.services.consultation, windowStart: '2026-03-09', windowEnd: '2026-03-09', client: { name: 'Olu Offer', phone } });
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start: ny('2026-03-09T10:00'), sessionId });
  await withTenant(world.pool, world.tenant.id, (client) => markEntryOffered(client, { tenantId: world.tenant.id, entryId: entry.id, holdId: hold.id }));
});
afterAll(async () => world.db.drop());

const say = (text: string) => world.receptionist.handleTurn({ tenantId: world.tenant.id, sessionId, channel: 'sms', text, verifiedContact: { phone } });

describe('intake on a waitlist offer', () => {
  it('a YES to a waitlist offer asks the required intake questions first, then books after the summary', async () => {
    const asked = await say('YES');
    expect(asked.reply).toBe('A few questions before I book it. Is this your first visit? (yes or no)');
    expect((await appointments(world)).filter((a) => a.status === 'booked')).toEqual([]);
    const summary = await say('no');
    expect(summary.reply).toMatch(/^To confirm: Consultation on Mon, Mar 9, 10:00 AM for Olu Offer/);
    const done = await say('yes');
    expect(done.reply).toMatch(/You're booked/);
    const [row] = (await appointments(world)).filter((a) => a.status === 'booked');
    expect(row).toMatchObject({ client_phone: phone, session_id: sessionId });
    expect((await readIntakeAnswers(world.pool, { tenantId: world.tenant.id, reference: row!.reference })).map((a) => [a.key, a.answer])).toEqual([['first_visit', 'no']]);
  });
});
