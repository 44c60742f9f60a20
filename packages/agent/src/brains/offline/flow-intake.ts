// The service's intake questions in the offline brain (issue 20 item 3): asked one at a time after
// the slot is held and the customer's details are in, before the summary. Each answer is saved
// against the hold (answer_intake); a bad one is asked again with what a good answer looks like.
import type { Say } from './offer.js';
import type { Ctx, IntakeStep } from './state.js';

/** A question as list_intake gives it. */

function ask(question: IntakeStep): string {
  const hint =
    question.kind === 'choice'
      ? ` (${question.choices.map((c, i) => `${i + 1}. ${c}`).join(', ')})`
      : question.kind === 'yes_no'
        ? ' (yes or no)'
        : question.kind === 'date'
          ? ' (a date like 1990-04-23)'
          : '';
  return `${question.question}${hint}${question.required ? '' : ' You can say "skip".'}`;
}

/**
 * The next intake question, or null once every question of the held slot's service is answered
 * (or it has none). Reads this turn's message as the answer to the question asked last turn.
 */
export async function runIntake(ctx: Ctx): Promise<Say> {
  const { s, turn } = ctx;
  if (!s.holdId || !s.serviceId) return null;
  if (s.intake?.holdId !== s.holdId) {
    const listed = await turn.callTool('list_intake', { serviceId: s.serviceId, language: s.lang ?? 'en' });
    const questions = listed.ok ? (listed.data.questions as IntakeStep[]) : [];
    s.intake = { holdId: s.holdId, questions, next: 0 };
  }
  const intake = s.intake;
  if (s.step === 'intake' && intake.next < intake.questions.length) {
    const question = intake.questions[intake.next]!;
    const saved = await turn.callTool('answer_intake', { holdId: s.holdId, questionKey: question.key, intakeAnswer: turn.text.trim() });
    if (saved.ok) intake.next += 1;
    else if (saved.code === 'INVALID_ARGS') {
      const hint = /answer: (.+?)\. Fix the arguments/.exec(saved.message)?.[1] ?? 'Please try that answer again';
      return `Sorry, I couldn't take that answer. ${hint.replace(/\.$/, '')}. ${ask(question)}`;
    } else return null;
  }
  if (intake.next >= intake.questions.length) {
    s.step = null;
    return null;
  }
  s.step = 'intake';
  const lead = intake.next === 0 ? 'A few questions before I book it. ' : '';
  return `${lead}${ask(intake.questions[intake.next]!)}`;
}
