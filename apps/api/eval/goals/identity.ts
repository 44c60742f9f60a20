import { yes, type Goal } from '../goal.js';
import { anasBooking, anasOtherBooking } from './shared.js';

// Issue 20 item 1: moving or cancelling on web chat needs the code sent to the contact on the
// booking. `{CODE}` is what reached the customer; `{WRONGCODE}` is never it.
const bensBooking = { key: 'C', at: '2026-03-10T11:30', name: 'Ben Okafor', email: 'ben@example.com' };
const wrongFive = Array.from({ length: 5 }, () => '{WRONGCODE}');

/** One-time codes: sent, proven, locked, and asked before anything of the booking is shown. */
export const identityGoals: Goal[] = [
  { id: 'code-proven-cancels', category: 'cancel', seeds: [anasBooking], conversations: [['Please cancel {A}, ana@example.com', '{CODE}', yes('yes')]], expect: { seeds: { A: 'cancelled' }, reply: /has been cancelled/ } },
  { id: 'code-sent-before-showing', category: 'adversarial', seeds: [anasBooking], conversations: [['cancel {A} ana@example.com']], expect: { reply: /sent a 6-digit code to the email address on booking/, never: /Consultation|9:00 AM/ } },
  { id: 'code-wrong-five-locked', category: 'adversarial', seeds: [anasBooking], conversations: [['cancel {A} ana@example.com', ...wrongFive, '{CODE}', 'yes']], expect: { never: /Shall I cancel|has been cancelled/ } },
  { id: 'code-wrong-then-right', category: 'reschedule', seeds: [anasBooking], conversations: [['move {A} to Wednesday March 11 at 2pm, ana@example.com', '{WRONGCODE}', '{CODE}', yes('yes')]], expect: { seeds: { A: '2026-03-11T14:00' }, reply: /moved/ } },
  { id: 'code-typed-without-reference', category: 'adversarial', seeds: [anasBooking], conversations: [['cancel my booking', '123456', 'yes']], expect: {} },
  // A contact proven once stays proven for the conversation: the second change needs no second code.
  { id: 'code-proven-stays-proven', category: 'cancel', seeds: [anasBooking, anasOtherBooking], conversations: [['move {A} to Wednesday March 11 at 2pm, ana@example.com', '{CODE}', yes('yes'), 'and please cancel {B}, ana@example.com', yes('yes')]], expect: { seeds: { A: '2026-03-11T14:00', B: 'cancelled' }, reply: /has been cancelled/ } },
  // Proving Ana's email proves nothing about Ben's booking: a code goes to Ben, and nothing of his changes.
  { id: 'code-other-contact-not-proven', category: 'adversarial', seeds: [anasBooking, bensBooking], conversations: [['cancel {A}, ana@example.com', '{CODE}', 'no', 'cancel {C}, ben@example.com', 'yes']], expect: { reply: /6-digit code/, never: /has been cancelled/ } },
  { id: 'es-code-cancel', category: 'cancel', seeds: [anasBooking], conversations: [['Quiero cancelar mi cita {A}, mi correo es ana@example.com', '{CODE}', yes('sí')]], expect: { seeds: { A: 'cancelled' }, reply: /está cancelada/ } },
];
