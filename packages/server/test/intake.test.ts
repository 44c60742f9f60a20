// Issue 20 item 3 through the API: the tenant defines a service's questions with its secret key
// (a bad definition is a 400 naming the field), the receptionist asks them in chat, and staff read
// and correct the answers by the booking's reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let t: TestTenant;
beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  t = await h.onboard('intake', 'https://intake.example');
});
afterAll(() => h.close());

const questions = [
  { key: 'first_visit', kind: 'yes_no', required: true, prompt: { en: 'Is this your first visit?' } },
  { key: 'reason', kind: 'choice', required: true, prompt: { en: 'What is the visit for?' }, choices: ['Checkup', 'Pain'] },
];

describe('intake questions through the API', () => {
  it('refuses a bad definition with a 400 that names the field', async () => {
    const response = await h.call('tenant.setIntakeQuestions', { serviceId: t.serviceId, questions: [{ key: 'Bad Key', kind: 'text', required: true, prompt: { en: 'x' } }] }, { key: t.secretKey });
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).message).toMatch(/^questions\.0\.key: /);
    const publishable = await h.call('tenant.setIntakeQuestions', { serviceId: t.serviceId, questions }, { key: t.publishableKey, origin: t.origin });
    expect(publishable.statusCode).toBe(403);
  });

  it('asks the questions in chat and shows the answers to staff, who may correct them', async () => {
    expect(trpcData<unknown[]>(await h.call('tenant.setIntakeQuestions', { serviceId: t.serviceId, questions }, { key: t.secretKey }))).toHaveLength(2);
    expect(trpcData<Array<{ key: string }>>(await h.call('tenant.intakeQuestions', { serviceId: t.serviceId }, { key: t.secretKey })).map((q) => q.key)).toEqual(['first_visit', 'reason']);
    let session: { sessionToken?: string } = {};
    const say = async (text: string): Promise<string> => {
      const data = trpcData<{ reply: string; sessionToken?: string }>(await h.call('chat.send', { text, ...session }, { key: t.secretKey }));
      if (data.sessionToken) session = { sessionToken: data.sessionToken };
      return data.reply;
    };
    await say('Book a consultation on Thursday at 10am');
    expect(await say('Ana Silva, ana@example.com')).toMatch(/Is this your first visit\? \(yes or no\)/);
    expect(await say('no')).toMatch(/What is the visit for\?/);
    expect(await say('pain')).toMatch(/^To confirm:/);
    const done = await say('yes');
    const reference = /GM-[0-9A-Z]{5}/.exec(done)![0];
    const answers = trpcData<Array<{ key: string; answer: string }>>(await h.call('tenant.intakeAnswers', { reference }, { key: t.secretKey }));
    expect(answers.map((a) => [a.key, a.answer])).toEqual([['first_visit', 'no'], ['reason', 'Pain']]);
    const bad = await h.call('tenant.updateIntakeAnswer', { reference, questionKey: 'reason', answer: 'a haircut' }, { key: t.secretKey });
    expect(bad.statusCode).toBe(400);
    expect(trpcError(bad).message).toMatch(/^answer: Please choose one of: Checkup, Pain/);
    const edited = trpcData<Array<{ key: string; answer: string; answeredBy: string }>>(await h.call('tenant.updateIntakeAnswer', { reference, questionKey: 'reason', answer: 'Checkup', by: 'dr-rivera' }, { key: t.secretKey }));
    expect(edited.find((a) => a.key === 'reason')).toMatchObject({ answer: 'Checkup', answeredBy: 'staff:dr-rivera' });
  });
});
