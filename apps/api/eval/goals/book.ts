import { yes, type Goal } from '../goal.js';
import { contacts, days, pick, times, yeses } from './shared.js';

const one = (i: number) => ({ day: pick(days, i), time: pick(times, i), contact: pick(contacts, i), yes: pick(yeses, i) });

/** Booking goals: in one message, step by step, another service, declined, and changed at the summary. */
export const bookGoals: Goal[] = [
  ...Array.from({ length: 24 }, (_, i): Goal => {
    const { day, time, contact, yes: said } = one(i);
    return {
      id: `book-one-message-${i + 1}`,
      category: 'book',
      conversations: [[`I'd like to book a consultation ${day[0]} at ${time[0]}`, contact, yes(said.replace('{time}', time[0]))]],
      expect: { booked: [`${day[1]}T${time[1]}`], reply: /You're booked/ },
    };
  }),
  ...Array.from({ length: 8 }, (_, i): Goal => {
    const { day, time, contact } = one(i + 3);
    return {
      id: `book-step-by-step-${i + 1}`,
      category: 'book',
      conversations: [['Hi, I need an appointment', 'A consultation please', day[0], time[0], contact, yes('yes')]],
      expect: { booked: [`${day[1]}T${time[1]}`] },
    };
  }),
  ...Array.from({ length: 4 }, (_, i): Goal => {
    const { day, time, contact } = one(i + 1);
    return {
      id: `book-follow-up-${i + 1}`,
      category: 'book',
      conversations: [[`Can I book a follow-up for ${day[0]} at ${time[0]}?`, contact, yes('yes please')]],
      expect: { booked: [`${day[1]}T${time[1]}`] },
    };
  }),
  ...['no', 'No thanks', 'nope', 'no, not that one', 'No, another time', 'nah'].map((no, i): Goal => {
    const { day, time, contact } = one(i);
    return {
      id: `book-declined-${i + 1}`,
      category: 'book',
      conversations: [[`book a consultation ${day[0]} at ${time[0]}`, contact, no]],
      expect: { booked: [], reply: /nothing booked/ },
    };
  }),
  ...Array.from({ length: 4 }, (_, i): Goal => {
    const day = pick(days, i + 2);
    return {
      id: `book-changed-at-summary-${i + 1}`,
      category: 'book',
      conversations: [[`consultation ${day[0]} at 10am`, pick(contacts, i), 'Actually, make it 11am', yes('yes')]],
      expect: { booked: [`${day[1]}T11:00`] },
    };
  }),
];
