import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIBrain } from '../../src/index.js';
import { startFakeOpenAI, toolResults, type FakeOpenAI } from '../fakes/openai-server.js';
import { appointments, conversation, createWorld, type World } from '../support.js';

let fake: FakeOpenAI;
let world: World;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  world = await createWorld({ brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 2000 }) });
});
afterAll(async () => {
  await world.db.drop();
  await fake.close();
});

async function claimCheckAudits(sessionId: string): Promise<number> {
  const { rows } = await world.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE session_id = $1 AND action = 'reply.claim_check'`, [sessionId]);
  return rows[0].n;
}

// Issue 12: 5 of 8 such model replies reached the customer unchanged.
describe('regression: false claims get through the claim check', () => {
  it.each([
    ["No problem, you're booked for Tuesday at 10:30!"],
    ["I can confirm you're booked with Dr. Rivera on Monday."],
    ['All set! Your reference is GM-7K3Q9.'],
    ["I've cancelled your appointment GM-KSUQC."],
    ["Sure, I've moved it to Friday at 9."],
    ["You're now on the waitlist for Monday."],
    ['Listo, te he reservado el martes a las 10.'],
    ['Your booking GM-ABCDE is on Tuesday at 10:30.'],
  ])('the OpenAI brain\'s "%s" is rewritten before it reaches the customer', async (lie) => {
    const sessionId = `lie-${Math.random().toString(36).slice(2, 10)}`;
    fake.play({ reply: lie });
    const turn = await conversation(world, sessionId).say('yes please');
    expect(turn.reply).not.toBe(lie);
    expect(turn.reply).toMatch(/To be clear|Para que quede claro/);
    expect(turn.reply).not.toMatch(/GM-/);
    expect(await claimCheckAudits(sessionId)).toBe(1);
    expect((await appointments(world)).filter((a) => a.session_id === sessionId)).toEqual([]);
  });

  it('keeps a reply whose claim and reference this turn\'s tools back', async () => {
    const sessionId = 'lie-control';
    const c = conversation(world, sessionId);
    fake.play({ toolCalls: [{ name: 'check_availability', arguments: { serviceId: world.services.consultation, from: '2026-03-09' } }] }, { dynamic: (request) => ({ toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.consultation, start: (toolResults(request).at(-1)!.data as { slots: Array<{ start: string }> }).slots[0]!.start } }] }) }, { reply: 'Holding it. Shall I book it for Wen Li?' });
    await c.say('Consultation on Monday please, I am Wen Li, wen@example.com');
    const { rows } = await world.pool.query(`SELECT id FROM holds WHERE session_id = $1 AND status = 'active'`, [sessionId]);
    fake.play(
      { toolCalls: [{ name: 'confirm_booking', arguments: { holdId: rows[0].id, name: 'Wen Li', email: 'wen@example.com' } }] },
      { dynamic: (request) => ({ reply: `You're booked! Your reference is ${(toolResults(request).at(-1)!.data as { reference: string }).reference}.` }) },
    );
    const done = await c.say('yes');
    const [row] = (await appointments(world)).filter((a) => a.session_id === sessionId);
    expect(done.reply).toBe(`You're booked! Your reference is ${row!.reference}.`);
    // A later turn may name it again: the conversation's record backs it.
    fake.play({ reply: `Your reference is ${row!.reference}, as before.` });
    expect((await c.say('what was my reference again')).reply).toBe(`Your reference is ${row!.reference}, as before.`);
    expect(await claimCheckAudits(sessionId)).toBe(0);
  });
});
