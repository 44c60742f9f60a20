import type { Goal } from '../goal.js';
import { anasBooking, contacts, days, pick } from './shared.js';

/** Waitlist goals: joined, and refused for days past the booking window, closed or gone. */
export const waitlistGoals: Goal[] = [
  ...Array.from({ length: 8 }, (_, i): Goal => ({
    id: `waitlist-join-${i + 1}`,
    category: 'waitlist',
    conversations: [[`Put me on the waitlist for a consultation on ${pick(days, i + 1)[0]}`, pick(contacts, i)]],
    expect: { waitlist: 1, reply: /on the waitlist/ },
  })),
  ...['July 20', 'June 1', 'August 3'].map((day, i): Goal => ({
    id: `waitlist-beyond-window-${i + 1}`,
    category: 'waitlist',
    conversations: [[`Can you add me to the waitlist for a consultation on ${day}? My email is ana@example.com`]],
    expect: { waitlist: 0, reply: /further ahead than we take bookings/, never: /You're on the waitlist/ },
  })),
  ...['Sunday', 'Saturday March 14'].map((day, i): Goal => ({
    id: `waitlist-closed-day-${i + 1}`,
    category: 'waitlist',
    conversations: [[`waitlist for a consultation on ${day} please`]],
    expect: { waitlist: 0, reply: /We're closed on (Sun|Satur)days/ },
  })),
  ...['March 2', 'last Tuesday'].map((day, i): Goal => ({
    id: `waitlist-past-day-${i + 1}`,
    category: 'waitlist',
    conversations: [[`add me to the waitlist for a consultation on ${day}`]],
    expect: { waitlist: 0, reply: /already passed/ },
  })),
];

const ask = (id: string, said: string, expect: Goal['expect']): Goal => ({ id, category: 'information', conversations: [[said]], expect });

/** Questions: hours, closed days and hours, services, who answers, and when a booking is. */
export const informationGoals: Goal[] = [
  ask('info-hours', 'What are your opening hours?', { reply: /open Monday–Friday 9:00 AM–5:00 PM/ }),
  ask('info-closed-saturday', 'Are you open on Saturdays?', { reply: /closed on Saturdays\. We're next open/ }),
  ask('info-closed-sunday', 'Are you open on Sunday?', { reply: /closed on Sundays\. We're next open/ }),
  ask('info-services', 'What services do you offer?', { reply: /Consultation[\s\S]*Follow-up/ }),
  ask('info-prices', 'How much is a consultation?', { reply: /Consultation/ }),
  ask('info-bot', 'Are you a bot?', { reply: /automated assistant/ }),
  ask('info-greeting', 'hello', { reply: /How can I help/ }),
  ask('info-thanks', 'thanks', { reply: /anything else/i }),
  ask('info-closed-day-booking', 'Can I book a consultation on Sunday?', { reply: /closed on Sundays/, never: /waitlist/i }),
  ask('info-closed-hour', 'consultation Tuesday March 10 at 7pm', { reply: /We're closed at 7:00 PM/ }),
  ask('info-past-date', 'consultation last Monday at 10', { reply: /already passed/ }),
  ...['When is my appointment? ref {A}, email ana@example.com', 'What time is my booking {A}? ana@example.com', 'Can you check my appointment {A} ana@example.com', 'when is my appointment'].map(
    (said, i): Goal => ({
      id: `info-lookup-${i + 1}`,
      category: 'information',
      seeds: [anasBooking],
      conversations: i === 3 ? [[said, '{A}', 'ana@example.com']] : [[said]],
      expect: { reply: /Tue, Mar 10, 9:00 AM/ },
    }),
  ),
];
