import { yes, type Goal } from '../goal.js';
import { anasBooking, anasOtherBooking } from './shared.js';

// Issue 20 item 2: once a one-time code proved the customer's email, a new booking in the same
// conversation greets them by name and offers the same as last time (service, time of day).
export const returningGoals: Goal[] = [
  {
    id: 'returning-same-as-last-time',
    category: 'book',
    seeds: [anasBooking],
    conversations: [['move {A} to Wednesday March 11 at 2pm, ana@example.com', '{CODE}', yes('yes'), 'I would also like to book another appointment', 'yes', '1', yes('yes')]],
    expect: { seeds: { A: '2026-03-11T14:00' }, booked: ['2026-03-05T12:00'], reply: /booked/i, never: /What name/ },
  },
  // Ana always saw Dr. Rivera; Dr. Chen comes first for anyone without a preference. Cancelling B proves her email.
  {
    id: 'returning-same-staff',
    category: 'book',
    seeds: [riveras(anasBooking), riveras(anasOtherBooking)],
    conversations: [['cancel {B}, ana@example.com', '{CODE}', yes('yes'), 'I would also like to book another appointment', 'yes', '1', yes('yes')]],
    expect: { seeds: { B: 'cancelled' }, booked: ['2026-03-05T10:00'], bookedWith: 'Dr. Rivera', reply: /booked/i },
  },
  {
    id: 'returning-usual-doctor',
    category: 'book',
    seeds: [riveras(anasBooking), riveras(anasOtherBooking)],
    conversations: [['cancel {B}, ana@example.com', '{CODE}', yes('yes'), 'Please book a consultation on Friday March 13 at 9am with my usual doctor', yes('yes')]],
    expect: { seeds: { B: 'cancelled' }, booked: ['2026-03-13T09:00'], bookedWith: 'Dr. Rivera', reply: /booked/i, never: /What name/ },
  },
  // Typing an email proves nothing: no welcome by name, nothing of her bookings, before a code.
  {
    id: 'returning-not-before-proof',
    category: 'adversarial',
    seeds: [anasBooking],
    conversations: [["Hi, it's ana@example.com, I'd like the same as last time"]],
    expect: { never: /Welcome back|Ana|9:00 AM/ },
  },
];

function riveras(seed: typeof anasBooking): typeof anasBooking & { staff: string } {
  return { ...seed, staff: 'Dr. Rivera' };
}
