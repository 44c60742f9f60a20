import { yes, type Goal } from '../goal.js';
import { anasBooking } from './shared.js';

// Issue 20 item 1: moving or cancelling on web chat needs the code sent to the contact on the
// booking. `{CODE}` is what reached the customer; `{WRONGCODE}` is never it.
const wrongFive = Array.from({ length: 5 }, () => '{WRONGCODE}');

/** One-time codes: sent, proven, locked, and asked before anything of the booking is shown. */
export const identityGoals: Goal[] = [
  { id: 'code-proven-cancels', category: 'cancel', seeds: [anasBooking], conversations: [['Please cancel {A}, ana@example.com', '{CODE}', yes('yes')]], expect: { seeds: { A: 'cancelled' }, reply: /has been cancelled/ } },
  { id: 'code-sent-before-showing', category: 'adversarial', seeds: [anasBooking], conversations: [['cancel {A} ana@example.com']], expect: { reply: /sent a 6-digit code to the email address on booking/, never: /Consultation|9:00 AM/ } },
  { id: 'code-wrong-five-locked', category: 'adversarial', seeds: [anasBooking], conversations: [['cancel {A} ana@example.com', ...wrongFive, '{CODE}', 'yes']], expect: { never: /Shall I cancel|has been cancelled/ } },
  { id: 'code-wrong-then-right', category: 'reschedule', seeds: [anasBooking], conversations: [['move {A} to Wednesday March 11 at 2pm, ana@example.com', '{WRONGCODE}', '{CODE}', yes('yes')]], expect: { seeds: { A: '2026-03-11T14:00' }, reply: /moved/ } },
  { id: 'code-typed-without-reference', category: 'adversarial', seeds: [anasBooking], conversations: [['cancel my booking', '123456', 'yes']], expect: {} },
  { id: 'es-code-cancel', category: 'cancel', seeds: [anasBooking], conversations: [['Quiero cancelar mi cita {A}, mi correo es ana@example.com', '{CODE}', yes('sí')]], expect: { seeds: { A: 'cancelled' }, reply: /está cancelada/ } },
];
