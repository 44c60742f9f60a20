import type { Goal } from '../goal.js';

// Issue 17, item 4: asking for a person hands the conversation to staff, with an honest line about
// what happens next (the eval's clock is Thursday 09:00 in New York: open). Detected in code, so
// every brain behaves the same; after it, the receptionist stays silent and books nothing.
/** Asking for a person, in English and Spanish. */
export const handoffGoals: Goal[] = [
  { id: 'ask-person', category: 'information', conversations: [['Can I talk to a human please?']], expect: { reply: /a team member will reply here shortly/ } },
  { id: 'ask-agent', category: 'information', conversations: [['agent']], expect: { reply: /passing you to our team/ } },
  { id: 'es-ask-person', category: 'information', conversations: [['Quiero hablar con una persona']], expect: { reply: /una persona del equipo le responderá aquí/ } },
  {
    id: 'ask-person-then-silent',
    category: 'information',
    conversations: [['I want to speak to a real person', 'Book a consultation Tuesday March 10 at 10, Ana Silva, ana@example.com', 'yes']],
    expect: { reply: /^$/, never: /Booked|held for you/ },
  },
];
