// Issue 20 item 2, the model's side: a returning customer is known to the OpenAI brain through the
// read-only customer_profile tool, once the conversation proved the contact (a one-time code on web
// chat, the sender's own number on SMS), and never before: the requests the fake OpenAI server
// received are read to show that an unproven conversation carries no profile data.
import { createBookingEngine, listResources, type Appointment, type BookingEngine } from '@gomomo/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIBrain, createReceptionist, type Receptionist } from '../src/index.js';
import type { CodeMessage } from '../src/identity/codes.js';
import { startFakeOpenAI, toolResults, type FakeOpenAI } from './fakes/openai-server.js';
import { createWorld, ny, type World } from './support.js';

let fake: FakeOpenAI;
let world: World;
let engine: BookingEngine;
let receptionist: Receptionist;
const sent: CodeMessage[] = [];
let rosa: Appointment;
let chen: string;

const rosaEmail = 'rosa.profile@example.com';
const rosaPhone = '+15550002323';

async function book(input: { start: string; resourceId: string; service: string }): Promise<Appointment> {
  const sessionId = `seed-${input.start}`;
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: input.service, start: input.start, resourceId: input.resourceId, sessionId });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId, client: { name: 'Rosa Díaz', email: rosaEmail, phone: rosaPhone } });
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  world = await createWorld();
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  receptionist = createReceptionist({
    pool: world.pool,
    engine,
    policy: world.policy,
    clock: world.clock,
    brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 5000 }),
    codeSender: async (_client, message) => {
      sent.push(message);
    },
  });
  chen = (await listResources(world.pool, world.tenant.id)).find((r) => r.name === 'Dr. Chen')!.id;
  rosa = await book({ start: ny('2026-03-09T09:00'), resourceId: chen, service: world.services.followUp });
  await book({ start: ny('2026-03-10T09:30'), resourceId: chen, service: world.services.followUp });
});
afterAll(async () => {
  await world.db.drop();
  await fake.close();
});
afterEach(() => {
  expect(fake.remaining()).toBe(0);
});

function chat(sessionId: string, extra: { channel?: 'web' | 'sms'; verifiedPhone?: string } = {}) {
  return (text: string) =>
    receptionist.handleTurn({
      tenantId: world.tenant.id,
      sessionId,
      channel: extra.channel ?? 'web',
      text,
      clientAddress: '10.0.0.7',
      ...(extra.verifiedPhone ? { verifiedContact: { phone: extra.verifiedPhone } } : {}),
    });
}

/** Everything the fake OpenAI server received since `from`, as the raw request bodies. */
const bodiesSince = (from: number): string => fake.requests.slice(from).map((request) => JSON.stringify(request)).join('\n');

describe('customer_profile (the model knows returning customers)', () => {
  it("an unproven conversation's model request carries no profile data", async () => {
    const from = fake.requests.length;
    const say = chat('profile-unproven');
    fake.play({ toolCalls: [{ name: 'customer_profile', arguments: { email: rosaEmail } }] }, { reply: 'Hello! How can I help you today?' });
    await say(`Hi, it's me, ${rosaEmail}`);
    expect(toolResults(fake.requests.at(-1)!).at(-1)).toMatchObject({ ok: true, tool: 'customer_profile', data: { proven: false } });
    const bodies = bodiesSince(from);
    for (const secret of ['Rosa', 'Díaz', rosa.reference, 'Dr. Chen', chen, rosaPhone, '"returning"']) expect(bodies).not.toContain(secret);
  });

  it('gives the model the profile once a one-time code proved the contact: name, preferred staff, the same as last time, upcoming bookings', async () => {
    const from = fake.requests.length;
    const say = chat('profile-proven');
    fake.play({ toolCalls: [{ name: 'send_code', arguments: { reference: rosa.reference, email: rosaEmail } }] }, { reply: 'I sent a 6-digit code to your email. What is it?' });
    await say(`I want to check my booking ${rosa.reference}, ${rosaEmail}`);
    expect(bodiesSince(from)).not.toContain('Rosa');
    const code = sent.at(-1)!.code;
    fake.play(
      { toolCalls: [{ name: 'verify_code', arguments: { oneTimeCode: code } }] },
      { toolCalls: [{ name: 'customer_profile', arguments: { email: rosaEmail } }] },
      { reply: 'Welcome back, Rosa! Would you like the same as last time?' },
    );
    const welcomed = await say(code);
    const profile = toolResults(fake.requests.at(-1)!).at(-1)!;
    expect(profile).toMatchObject({
      ok: true,
      tool: 'customer_profile',
      data: {
        proven: true,
        returning: true,
        name: 'Rosa Díaz',
        preferredStaff: { resourceId: chen, name: 'Dr. Chen' },
        sameAsLastTime: { serviceId: world.services.followUp, serviceName: 'Follow-up', staff: 'Dr. Chen', resourceId: chen, timeOfDay: 'morning' },
      },
    });
    expect((profile.data as { upcoming: Array<{ reference: string }> }).upcoming.map((b) => b.reference)).toContain(rosa.reference);
    expect(welcomed.reply).toBe('Welcome back, Rosa! Would you like the same as last time?');
  });

  it("a contact proven in one conversation does not open another contact's profile", async () => {
    const say = chat('profile-other');
    fake.play({ toolCalls: [{ name: 'send_code', arguments: { reference: rosa.reference, email: rosaEmail } }] }, { reply: 'Code sent.' });
    await say(`booking ${rosa.reference}, ${rosaEmail}`);
    const code = sent.at(-1)!.code;
    fake.play({ toolCalls: [{ name: 'verify_code', arguments: { oneTimeCode: code } }] }, { reply: 'Thanks, verified.' });
    await say(code);
    const from = fake.requests.length;
    fake.play({ toolCalls: [{ name: 'customer_profile', arguments: { phone: '+15550007777' } }] }, { reply: 'Hello.' });
    await say('and what about my friend on +1 555 000 7777?');
    expect(toolResults(fake.requests.at(-1)!).at(-1)).toMatchObject({ data: { proven: false } });
    expect(bodiesSince(from)).not.toContain('"returning"');
  });

  it("on SMS the sender's own number is proven: the profile with no arguments", async () => {
    const say = chat(`sms:${rosaPhone}`, { channel: 'sms', verifiedPhone: rosaPhone });
    fake.play({ toolCalls: [{ name: 'customer_profile', arguments: {} }] }, { reply: 'Welcome back, Rosa!' });
    const hello = await say('Hi');
    expect(toolResults(fake.requests.at(-1)!).at(-1)).toMatchObject({ data: { proven: true, returning: true, name: 'Rosa Díaz', preferredStaff: { name: 'Dr. Chen' } } });
    expect(hello.reply).toBe('Welcome back, Rosa!');
  });
});
