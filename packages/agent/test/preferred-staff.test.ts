// Issue 20 item 2, preferred staff enforced: a returning customer who accepts "the same as last
// time", or asks for their usual person, is booked with that staff member — or told plainly that
// this person is not free then and offered their other times or someone else — never silently
// another person. The engine prefers resources by name, so an unconstrained hold goes to Dr. Chen;
// Rosa always saw Dr. Rivera, who does not work Mondays here.
import { createBookingEngine, listResources, type BookingEngine } from '@gomomo/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIBrain } from '../src/index.js';
import { startFakeOpenAI, toolResults, type FakeOpenAI } from './fakes/openai-server.js';
import { activeHolds, conversation, createWorld, ny, type World } from './support.js';

const riveraDays = [2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' }));
const staffTenant = { resources: [{ name: 'Dr. Chen', kind: 'staff' as const }, { name: 'Dr. Rivera', kind: 'staff' as const, hours: riveraDays }] };

async function resourceIds(world: World): Promise<{ chen: string; rivera: string }> {
  const resources = await listResources(world.pool, world.tenant.id);
  return { chen: resources.find((r) => r.name === 'Dr. Chen')!.id, rivera: resources.find((r) => r.name === 'Dr. Rivera')!.id };
}

/** Rosa's earlier visit: a Follow-up with Dr. Rivera in the morning (`at`, a local time on Thursday, March 12). */
async function seedRosa(world: World, engine: BookingEngine, input: { phone: string; rivera: string; at: string }): Promise<void> {
  const sessionId = `earlier-${input.phone}`;
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.followUp, start: ny(`2026-03-12T${input.at}`), resourceId: input.rivera, sessionId });
  await engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId, client: { name: 'Rosa Díaz', phone: input.phone } });
}

async function bookedResource(world: World, sessionId: string): Promise<string | undefined> {
  const { rows } = await world.pool.query<{ resource_id: string }>(`SELECT resource_id FROM appointments WHERE tenant_id = $1 AND session_id = $2 AND status = 'booked'`, [world.tenant.id, sessionId]);
  return rows[0]?.resource_id;
}

describe('preferred staff (offline brain)', () => {
  let world: World;
  let ids: { chen: string; rivera: string };
  beforeAll(async () => {
    world = await createWorld({ tenant: staffTenant });
    const engine = createBookingEngine({ pool: world.pool, clock: world.clock });
    ids = await resourceIds(world);
    for (const [phone, at] of [['+15550003001', '09:00'], ['+15550003002', '09:30'], ['+15550003003', '10:00']] as const) await seedRosa(world, engine, { phone, rivera: ids.rivera, at });
  });
  afterAll(async () => world.db.drop());

  const sms = (phone: string) => conversation(world, `sms:${phone}`, { channel: 'sms', verifiedContact: { phone } });

  it('books "the same as last time" with the same staff member, not the first free one', async () => {
    const c = sms('+15550003001');
    expect((await c.say('Hi!')).reply).toMatch(/^Welcome back, Rosa! Would you like the same as last time: Follow-up with Dr\. Rivera, in the morning\?/);
    const offer = await c.say('yes please');
    expect(offer.reply).toMatch(/Here are open times for Follow-up with Dr\. Rivera before 12:00 PM/);
    expect((await c.say('1')).reply).toMatch(/^To confirm: Follow-up with Dr\. Rivera on /);
    expect((await c.say('yes')).reply).toMatch(/You're booked: Follow-up with Dr\. Rivera/);
    expect(await bookedResource(world, 'sms:+15550003001')).toBe(ids.rivera);
  });

  it('says honestly that the usual person is not free then, and offers another day with them or someone else', async () => {
    const c = sms('+15550003002');
    await c.say('Hi!');
    await c.say('yes');
    // Monday: Dr. Rivera does not work, Dr. Chen does — Dr. Chen's times are not offered as Dr. Rivera's.
    const monday = await c.say('Monday morning');
    expect(monday.reply).toBe('Sorry, Dr. Rivera has nothing free for Follow-up before 12:00 PM on Monday, March 9. Would you like another day with Dr. Rivera, or someone else?');
    expect(await activeHolds(world, 'sms:+15550003002')).toEqual([]);
    const others = await c.say('someone else is fine');
    expect(others.reply).toMatch(/^Here are open times for Follow-up before 12:00 PM on Monday, March 9:/);
    await c.say('1');
    await c.say('yes');
    expect(await bookedResource(world, 'sms:+15550003002')).toBe(ids.chen);
  });

  it('books with the usual person when the customer asks for them by name of the role', async () => {
    const c = sms('+15550003003');
    await c.say('Hi!');
    await c.say('no thanks');
    const offer = await c.say('A follow-up on Tuesday with my usual doctor please');
    expect(offer.reply).toMatch(/Follow-up with Dr\. Rivera on Tuesday, March 10/);
    await c.say('1');
    await c.say('yes');
    expect(await bookedResource(world, 'sms:+15550003003')).toBe(ids.rivera);
  });

  it('tells a customer it cannot see who they saw before, instead of picking someone silently', async () => {
    const c = conversation(world, 'web-stranger');
    const offer = await c.say('A follow-up on Tuesday with my usual doctor please');
    expect(offer.reply).toMatch(/^I can't see who you saw before .* so these times are with anyone available\. Here are open times for Follow-up on Tuesday/);
  });
});

describe('preferred staff (OpenAI brain)', () => {
  let fake: FakeOpenAI;
  let world: World;
  let ids: { chen: string; rivera: string };
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    world = await createWorld({ tenant: staffTenant, brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 5000 }) });
    ids = await resourceIds(world);
  });
  afterAll(async () => {
    await world.db.drop();
    await fake.close();
  });
  afterEach(() => {
    expect(fake.remaining()).toBe(0);
  });

  it('holds and books with the staff member the model names, not the first free one', async () => {
    const c = conversation(world, 'oa-staff');
    fake.play(
      { toolCalls: [{ name: 'check_availability', arguments: { serviceId: world.services.followUp, from: '2026-03-10', before: '12:00', resourceId: ids.rivera } }] },
      { toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.followUp, start: '2026-03-10T09:00:00.000-04:00', resourceId: ids.rivera } }] },
      { reply: 'I am holding Tuesday 9:00 AM with Dr. Rivera. Shall I book it for Rosa (rosa.staff@example.com)?' },
    );
    await c.say('Same as last time please, Tuesday morning with Dr. Rivera. Rosa, rosa.staff@example.com');
    const [availability, hold] = toolResults(fake.requests.at(-1)!);
    expect(availability).toMatchObject({ ok: true, data: { resourceId: ids.rivera } });
    expect(hold).toMatchObject({ ok: true, tool: 'hold_slot', data: { resourceId: ids.rivera } });
    const [held] = await activeHolds(world, 'oa-staff');
    fake.play({ toolCalls: [{ name: 'confirm_booking', arguments: { holdId: held!.id, name: 'Rosa', email: 'rosa.staff@example.com' } }] }, { reply: 'Done.' });
    await c.say('yes');
    expect(toolResults(fake.requests.at(-1)!).at(-1)).toMatchObject({ ok: true, data: { with: 'Dr. Rivera' } });
    expect(await bookedResource(world, 'oa-staff')).toBe(ids.rivera);
  });

  it('refuses to hold another person when the named staff member is not free then, and lists only their times', async () => {
    const c = conversation(world, 'oa-staff-busy');
    fake.play(
      { toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.followUp, start: '2026-03-09T09:00:00.000-04:00', resourceId: ids.rivera } }] },
      { toolCalls: [{ name: 'check_availability', arguments: { serviceId: world.services.followUp, from: '2026-03-09', to: '2026-03-10', before: '10:00', resourceId: ids.rivera } }] },
      { reply: 'Dr. Rivera is not in on Monday. He has Tuesday from 9:00 AM; or Dr. Chen could see you Monday. Which do you prefer?' },
    );
    await c.say('Monday 9am with Dr. Rivera please');
    const [hold, availability] = toolResults(fake.requests.at(-1)!);
    expect(hold).toMatchObject({ ok: false, tool: 'hold_slot', code: 'SLOT_UNAVAILABLE' });
    expect(await activeHolds(world, 'oa-staff-busy')).toEqual([]);
    const slots = (availability!.data as { slots: Array<{ start: string }> }).slots;
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((slot) => slot.start.startsWith('2026-03-10'))).toBe(true);
  });
});
