// Issue 20 item 3: a service's intake questions are asked after the slot is held and before the
// summary, bad answers are asked again, the answers are stored with the appointment and shown to
// staff, and none of them reaches the audit log in clear.
import { readIntakeAnswers, setIntakeQuestions, updateIntakeAnswer } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, conversation, createWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await setIntakeQuestions(world.pool, {
    tenantId: world.tenant.id,
    serviceId: world.services.consultation,
    questions: [
      { key: 'first_visit', kind: 'yes_no', required: true, prompt: { en: 'Is this your first visit?', es: '¿Es su primera visita?' } },
      { key: 'reason', kind: 'choice', required: true, prompt: { en: 'What is the visit for?', es: '¿Cuál es el motivo?' }, choices: ['Checkup', 'Pain', 'Other'] },
      { key: 'birth_date', kind: 'date', required: false, prompt: { en: 'What is your date of birth?', es: '¿Cuál es su fecha de nacimiento?' } },
      { key: 'notes', kind: 'text', required: false, prompt: { en: 'Anything we should know?', es: '¿Algo que debamos saber?' } },
    ],
  });
});
afterAll(async () => world.db.drop());

describe('intake questions', () => {
  it('asks them after the hold and before the summary, re-asks bad answers, and stores them with the appointment for staff', async () => {
    const c = conversation(world, 'intake-en');
    await c.say('Book me a consultation on Friday at 11am');
    const first = await c.say('Ana Intake, ana.intake@example.com');
    expect(first.reply).toBe('A few questions before I book it. Is this your first visit? (yes or no)');
    expect((await c.say('maybe')).reply).toBe("Sorry, I couldn't take that answer. Please answer yes or no. Is this your first visit? (yes or no)");
    expect((await c.say('yes')).reply).toBe('What is the visit for? (1. Checkup, 2. Pain, 3. Other)');
    expect((await c.say('a haircut')).reply).toMatch(/^Sorry, I couldn't take that answer\. Please choose one of: Checkup, Pain, Other\. What is the visit for\?/);
    expect((await c.say('2')).reply).toBe('What is your date of birth? (a date like 1990-04-23) You can say "skip".');
    expect((await c.say('the day after my birthday')).reply).toMatch(/Please give a date like 1990-04-23\./);
    expect((await c.say('1987-06-05')).reply).toBe('Anything we should know? You can say "skip".');
    const summary = await c.say('Allergic to latex');
    expect(summary.reply).toMatch(/^To confirm: Consultation on Fri, Mar 6, 11:00 AM for Ana Intake/);
    expect((await c.say('yes')).reply).toMatch(/booked/i);

    const booked = (await appointments(world)).find((a) => a.session_id === 'intake-en')!;
    const answers = await readIntakeAnswers(world.pool, { tenantId: world.tenant.id, reference: booked.reference });
    expect(answers.map((a) => [a.key, a.answer])).toEqual([
      ['first_visit', 'yes'],
      ['reason', 'Pain'],
      ['birth_date', '1987-06-05'],
      ['notes', 'Allergic to latex'],
    ]);

    const edited = await updateIntakeAnswer(world.pool, { tenantId: world.tenant.id, reference: booked.reference, questionKey: 'reason', answer: 'checkup', by: 'staff:front-desk', now: world.clock.now() });
    expect(edited.find((a) => a.key === 'reason')).toMatchObject({ answer: 'Checkup', answeredBy: 'staff:front-desk' });

    const audit = await world.pool.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_log a WHERE tenant_id = $1', [world.tenant.id]);
    expect(audit.rows.some((r) => r.row.includes('answer_intake'))).toBe(true);
    for (const secret of ['Allergic to latex', '1987-06-05', 'the day after my birthday']) expect(audit.rows.filter((r) => r.row.includes(secret))).toEqual([]);
  });

  it('asks in Spanish with the tenant’s Spanish wording', async () => {
    const c = conversation(world, 'intake-es');
    await c.say('Quiero reservar una consulta el viernes a las 3 de la tarde');
    const first = await c.say('Lola Pérez, lola@example.com');
    expect(first.reply).toBe('Unas preguntas antes de reservar. ¿Es su primera visita? (sí o no)');
    expect((await c.say('sí')).reply).toBe('¿Cuál es el motivo? (1. Checkup, 2. Pain, 3. Other)');
  });

  it('names the field of a bad definition', async () => {
    const bad = setIntakeQuestions(world.pool, { tenantId: world.tenant.id, serviceId: world.services.followUp, questions: [{ key: 'pick', kind: 'choice', required: true, prompt: { en: 'Which?' }, choices: ['only one'] }] });
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION', field: 'questions.0.choices' });
  });
});
