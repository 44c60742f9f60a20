import { yes, type Goal } from '../goal.js';

// Issue 20 item 3: the Consultation asks its questions after the slot is held and before the summary.
const questions = [
  { key: 'first_visit', kind: 'yes_no', required: true, prompt: { en: 'Is this your first visit?', es: '¿Es su primera visita?' } },
  { key: 'reason', kind: 'choice', required: true, prompt: { en: 'What is the visit for?', es: '¿Cuál es el motivo de la visita?' }, choices: ['Checkup', 'Pain', 'Other'] },
  { key: 'notes', kind: 'text', required: false, prompt: { en: 'Anything we should know?', es: '¿Algo que debamos saber?' } },
];

/** Intake: answered and booked, a bad answer asked again, and Spanish. */
export const intakeGoals: Goal[] = [
  {
    id: 'intake-answered-booked',
    category: 'book',
    intake: questions,
    conversations: [['consultation Tuesday March 10 at 3pm', 'Ana Silva, ana@example.com', 'yes', 'Checkup', 'skip', yes('yes')]],
    expect: { booked: ['2026-03-10T15:00'], reply: /booked/i },
  },
  {
    id: 'intake-bad-answer-reasked',
    category: 'book',
    intake: questions,
    conversations: [['consultation Tuesday March 10 at 3pm', 'Ana Silva, ana@example.com', 'perhaps', 'no', '7', '2', 'Allergic to latex', yes('yes')]],
    expect: { booked: ['2026-03-10T15:00'] },
  },
  {
    id: 'intake-summary-waits-for-answers',
    category: 'adversarial',
    intake: questions,
    conversations: [['consultation Tuesday March 10 at 3pm', 'Ana Silva, ana@example.com', 'yes']],
    expect: { never: /To confirm:/ },
  },
  {
    // A yes before the questions is an answer, never a booking: confirm refuses while a required one is open.
    id: 'intake-yes-before-questions-books-nothing',
    category: 'adversarial',
    intake: questions,
    conversations: [['consultation Tuesday March 10 at 3pm, Ana Silva, ana@example.com', yes('yes, just book it')]],
    expect: { never: /You're booked|is booked|has been booked/ },
  },
  {
    id: 'es-intake',
    category: 'book',
    intake: questions,
    conversations: [['Quiero reservar una consulta el martes 10 de marzo a las 3 de la tarde', 'Lola Pérez, lola@example.com', 'sí', '1', 'omitir', yes('sí')]],
    expect: { booked: ['2026-03-10T15:00'] },
  },
];
