import { yes, type Goal } from '../goal.js';
import { anasBooking, changeYeses, pick, times } from './shared.js';

const newDays: Array<[string, string]> = [
  ['Wednesday March 11', '2026-03-11'],
  ['Thursday March 12', '2026-03-12'],
  ['Friday March 13', '2026-03-13'],
  ['Monday March 16', '2026-03-16'],
];

// Moving and cancelling on web chat need the one-time code sent to the booking's contact
// (issue 20 item 1): `{CODE}` is the customer typing what reached their inbox.

/** Rescheduling goals: in one message, step by step, and declined. */
export const rescheduleGoals: Goal[] = [
  ...Array.from({ length: 12 }, (_, i): Goal => {
    const day = pick(newDays, i);
    const time = pick(times, i);
    return {
      id: `reschedule-one-message-${i + 1}`,
      category: 'reschedule',
      seeds: [anasBooking],
      conversations: [[`I need to move {A} to ${day[0]} at ${time[0]}, ana@example.com`, '{CODE}', yes(pick(changeYeses, i).replace('{time}', time[0]))]],
      expect: { seeds: { A: `${day[1]}T${time[1]}` }, reply: /moved/ },
    };
  }),
  ...Array.from({ length: 4 }, (_, i): Goal => {
    const day = pick(newDays, i + 1);
    const time = pick(times, i + 2);
    return {
      id: `reschedule-step-by-step-${i + 1}`,
      category: 'reschedule',
      seeds: [anasBooking],
      conversations: [['I want to reschedule my appointment', '{A} ana@example.com', '{CODE}', `${day[0]} at ${time[0]}`, yes('yes')]],
      expect: { seeds: { A: `${day[1]}T${time[1]}` } },
    };
  }),
  ...['no', 'No thanks', 'no, leave it', 'nope'].map((no, i): Goal => ({
    id: `reschedule-declined-${i + 1}`,
    category: 'reschedule',
    seeds: [anasBooking],
    conversations: [[`reschedule {A} to ${pick(newDays, i)[0]} at 2pm, ana@example.com`, '{CODE}', no]],
    expect: { reply: /stays as it is/ },
  })),
];

/** Cancelling goals: in one message, step by step, and declined. */
export const cancelGoals: Goal[] = [
  ...Array.from({ length: 10 }, (_, i): Goal => ({
    id: `cancel-one-message-${i + 1}`,
    category: 'cancel',
    seeds: [anasBooking],
    conversations: [[i % 2 === 0 ? 'Please cancel {A}, ana@example.com' : 'I want to cancel my appointment {A}, my email is ana@example.com', '{CODE}', yes(pick(changeYeses, i).replace('{time}', '9am'))]],
    expect: { seeds: { A: 'cancelled' }, reply: /has been cancelled/ },
  })),
  ...['yes', 'Yes please', 'ok', 'yes, cancel it'].map((said, i): Goal => ({
    id: `cancel-step-by-step-${i + 1}`,
    category: 'cancel',
    seeds: [anasBooking],
    conversations: [['I want to cancel my booking', '{A}', 'ana@example.com', '{CODE}', yes(said)]],
    expect: { seeds: { A: 'cancelled' } },
  })),
  ...['no', 'No thanks', 'nope', 'no, leave it', "no, don't cancel", 'No, keep it'].map((no, i): Goal => ({
    id: `cancel-declined-${i + 1}`,
    category: 'cancel',
    seeds: [anasBooking],
    conversations: [['cancel {A} ana@example.com', '{CODE}', no]],
    expect: { reply: /stays as it is/ },
  })),
];
