import { yes, type Goal } from '../goal.js';
import { anasBooking } from './shared.js';

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
];
