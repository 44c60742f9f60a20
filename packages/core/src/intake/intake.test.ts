import { describe, expect, it } from 'vitest';
import { validateIntakeAnswer, type IntakeQuestion } from './intake.js';

const question = (kind: IntakeQuestion['kind'], required = true): IntakeQuestion => ({ key: 'q', kind, required, prompt: { en: 'Q?' }, choices: kind === 'choice' ? ['Checkup', 'Pain'] : [] });

describe('validateIntakeAnswer', () => {
  it.each([
    ['yes_no', 'yes', 'yes'],
    ['yes_no', 'Sí', 'yes'],
    ['yes_no', 'nope', 'no'],
    ['choice', '2', 'Pain'],
    ['choice', 'checkup', 'Checkup'],
    ['choice', 'mostly pain in my back', 'Pain'],
    ['date', '1987-06-05', '1987-06-05'],
    ['date', '6/5/1987', '1987-06-05'],
    ['date', 'June 5, 1987', '1987-06-05'],
    ['text', '  Allergic to latex ', 'Allergic to latex'],
  ] as const)('%s: "%s" is stored as "%s"', (kind, raw, stored) => {
    expect(validateIntakeAnswer(question(kind), raw)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ['yes_no', 'maybe', 'Please answer yes or no.'],
    ['choice', '3', 'Please choose one of: Checkup, Pain.'],
    ['date', 'last spring', 'Please give a date like 1990-04-23.'],
    ['text', 'skip', 'This question needs an answer.'],
  ] as const)('%s: refuses "%s" with what a good answer looks like', (kind, raw, message) => {
    expect(validateIntakeAnswer(question(kind), raw)).toEqual({ ok: false, message });
  });

  it('lets an optional question be skipped', () => {
    expect(validateIntakeAnswer(question('text', false), 'skip')).toEqual({ ok: true, value: null });
  });
});
