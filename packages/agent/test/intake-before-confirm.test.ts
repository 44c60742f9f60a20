// Issue 20 item 3, the remainder: the offline brain asks a service's questions before its summary,
// but a model could skip them. Confirming is refused in the confirm tool itself (any brain) while a
// required question of the held slot's service has no answer; the refusal names the questions, so
// the receptionist asks them.
import { readIntakeAnswers, setIntakeQuestions } from '@gomomo/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIBrain } from '../src/index.js';
import { startFakeOpenAI, toolResults, type FakeOpenAI } from './fakes/openai-server.js';
import { activeHolds, appointments, conversation, createWorld, type World } from './support.js';

let fake: FakeOpenAI;
let world: World;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  world = await createWorld({ brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 5000 }), config: { maxToolRounds: 4 } });
  await setIntakeQuestions(world.pool, {
    tenantId: world.tenant.id,
    serviceId: world.services.consultation,
    questions: [
      { key: 'first_visit', kind: 'yes_no', required: true, prompt: { en: 'Is this your first visit?' } },
      { key: 'reason', kind: 'choice', required: true, prompt: { en: 'What is the visit for?' }, choices: ['Checkup', 'Pain', 'Other'] },
      { key: 'notes', kind: 'text', required: false, prompt: { en: 'Anything we should know?' } },
    ],
  });
});
afterAll(async () => {
  await world.db.drop();
  await fake.close();
});
afterEach(() => {
  expect(fake.remaining()).toBe(0);
});

const last = () => fake.requests.at(-1)!;
const booked = async (sessionId: string) => (await appointments(world)).filter((a) => a.session_id === sessionId && a.status === 'booked');

/** A conversation holding Friday 11:00 for a consultation, through the model's own hold_slot. */
async function holdConsultation(sessionId: string): Promise<{ say: (text: string) => ReturnType<ReturnType<typeof conversation>['say']>; holdId: string }> {
  const c = conversation(world, sessionId);
  fake.play({ toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.consultation, start: '2026-03-06T11:00:00.000-05:00' } }] }, { reply: 'I am holding Friday at 11:00 AM. Shall I book it for Ana Early (ana.early@example.com)?' });
  await c.say('A consultation Friday at 11am please, I am Ana Early, ana.early@example.com');
  const [hold] = await activeHolds(world, sessionId);
  return { say: c.say, holdId: hold!.id };
}

describe('intake before confirm', () => {
  it('confirm refuses a booking whose required intake answers are missing, naming the questions, on the model path', async () => {
    const c = await holdConsultation('intake-early');
    fake.play(
      { toolCalls: [{ name: 'confirm_booking', arguments: { holdId: c.holdId, name: 'Ana Early', email: 'ana.early@example.com' } }] },
      { reply: 'Before I can book it: is this your first visit?' },
    );
    const refused = await c.say('Yes, book it');
    const result = toolResults(last()).at(-1)!;
    expect(result).toMatchObject({ ok: false, tool: 'confirm_booking', code: 'INTAKE_INCOMPLETE' });
    expect(result.message).toContain('first_visit ("Is this your first visit?")');
    expect(result.message).toContain('reason ("What is the visit for?")');
    // Optional questions are not demanded.
    expect(result.message).not.toContain('notes');
    expect(refused.reply).toBe('Before I can book it: is this your first visit?');
    expect(await booked('intake-early')).toEqual([]);
    // The hold is kept, so the answers still have a slot to belong to.
    expect((await activeHolds(world, 'intake-early')).map((h) => h.id)).toEqual([c.holdId]);
    const audit = await world.pool.query<{ outcome: string; reason: string }>(`SELECT outcome, reason FROM audit_log WHERE tenant_id = $1 AND session_id = $2 AND action = 'booking.confirm' ORDER BY id`, [world.tenant.id, 'intake-early']);
    expect(audit.rows.at(-1)).toMatchObject({ outcome: 'failed' });
    expect(audit.rows.at(-1)!.reason).toMatch(/^INTAKE_INCOMPLETE: /);
  });

  it('the receptionist asks the missing questions after the refusal, and the booking goes through once they are answered', async () => {
    const c = await holdConsultation('intake-asked');
    fake.play({ toolCalls: [{ name: 'confirm_booking', arguments: { holdId: c.holdId, name: 'Ana Early', email: 'ana.early@example.com' } }] }, { reply: 'Is this your first visit?' });
    await c.say('yes');
    fake.play({ toolCalls: [{ name: 'answer_intake', arguments: { holdId: c.holdId, questionKey: 'first_visit', intakeAnswer: 'yes' } }] }, { reply: 'What is the visit for: Checkup, Pain or Other?' });
    await c.say('yes it is');
    // One answer is not enough: the second required question is still named.
    fake.play({ toolCalls: [{ name: 'confirm_booking', arguments: { holdId: c.holdId, name: 'Ana Early', email: 'ana.early@example.com' } }] }, { reply: 'What is the visit for?' });
    await c.say('yes go ahead');
    const second = toolResults(last()).at(-1)!;
    expect(second).toMatchObject({ ok: false, code: 'INTAKE_INCOMPLETE' });
    expect(second.message).toContain('reason');
    expect(second.message).not.toContain('first_visit');
    fake.play({ toolCalls: [{ name: 'answer_intake', arguments: { holdId: c.holdId, questionKey: 'reason', intakeAnswer: 'checkup' } }] }, { reply: 'Thanks. Shall I book Consultation on Friday at 11:00 AM?' });
    await c.say('a checkup');
    fake.play(
      { toolCalls: [{ name: 'confirm_booking', arguments: { holdId: c.holdId, name: 'Ana Early', email: 'ana.early@example.com' } }] },
      { dynamic: (request) => ({ reply: `Booked, reference ${String((toolResults(request).at(-1)!.data as { reference: string }).reference)}.` }) },
    );
    const done = await c.say('yes');
    const [row] = await booked('intake-asked');
    expect(done.reply).toBe(`Booked, reference ${row!.reference}.`);
    const answers = await readIntakeAnswers(world.pool, { tenantId: world.tenant.id, reference: row!.reference });
    expect(answers.map((a) => [a.key, a.answer])).toEqual([
      ['first_visit', 'yes'],
      ['reason', 'Checkup'],
      ['notes', null],
    ]);
  });

  it('a service without required questions confirms as before', async () => {
    const c = conversation(world, 'intake-none');
    fake.play({ toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.followUp, start: '2026-03-06T14:00:00.000-05:00' } }] }, { reply: 'Holding Friday 2:00 PM. Book it?' });
    await c.say('follow-up Friday 2pm, Bo, bo@example.com');
    const [hold] = await activeHolds(world, 'intake-none');
    fake.play({ toolCalls: [{ name: 'confirm_booking', arguments: { holdId: hold!.id, name: 'Bo', email: 'bo@example.com' } }] }, { reply: 'Done.' });
    await c.say('yes');
    expect(toolResults(last()).at(-1)).toMatchObject({ ok: true, tool: 'confirm_booking' });
    expect(await booked('intake-none')).toHaveLength(1);
  });
});
