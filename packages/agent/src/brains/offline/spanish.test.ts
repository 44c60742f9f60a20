import { describe, expect, it } from 'vitest';
import { translateToSpanish } from './spanish.js';

// Words an English reply would have; none may be left after translation.
const english = /\b(the|you|your|would|which|please|booked|shall|here are|we're|sorry|on|at|after|before|between)\b/i;

describe('translateToSpanish', () => {
  it.each([
    ['Here are open times for Consultation after 3:00 PM on Tuesday, March 10:\n1. Tue, Mar 10, 3:00 PM\nReply with the number or the time that suits you.', 'Estos son los horarios libres para Consultation después de las 15:00 el martes 10 de marzo:\n1. mar 10 de marzo, 15:00\nResponda con el número o la hora que le convenga.'],
    ['At 10:00 AM on Tuesday, March 10 isn\'t available, but these are open for Consultation:', 'A las 10:00 el martes 10 de marzo: no está disponible, pero estos horarios están libres para Consultation:'],
    ['To confirm: Consultation on Tue, Mar 10, 10:00 AM for Ana Silva (ana@example.com). Shall I book it?', 'Para confirmar: Consultation el mar 10 de marzo, 10:00 a nombre de Ana Silva (ana@example.com). ¿La reservo?'],
    ["We're closed on Sundays, so Sunday, March 8 isn't possible.", 'Los domingos cerramos, así que el domingo 8 de marzo no es posible.'],
    ["We're closed at 7:00 PM: on Tuesdays we're open 9:00 AM–5:00 PM.", 'A las 19:00 está cerrado: los martes abrimos 9:00–17:00.'],
    ['Monday, July 20 is further ahead than we take bookings: the calendar is open up to Monday, May 4. Which day before then would suit you?', 'Lunes 20 de julio queda fuera de nuestro plazo de reservas: el calendario está abierto hasta el lunes 4 de mayo. ¿Qué día antes de esa fecha le vendría bien?'],
    ['Sorry, I can only help in English or Spanish', 'Sorry, I can only help in English or Spanish'],
  ])('%s', (en, es) => {
    expect(translateToSpanish(en)).toBe(es);
  });

  it('leaves no English word in the replies of the flows', () => {
    const replies = [
      'Sure. Please give me your booking reference (it looks like GM-7K3Q9) and the email address or phone number you booked with.',
      'Thanks. What email address or phone number was booking GM-ABCDE made with?',
      'I found your Consultation on Tue, Mar 10, 9:00 AM. When would you like to move it to?',
      "I couldn't find booking GM-ABCDE with those details, so I can't change anything. Please check the reference and the email or phone number you booked with.",
      'Your Consultation is on Tue, Mar 10, 9:00 AM (reference GM-ABCDE). Would you like to reschedule or cancel it, or is there anything else I can help with?',
      'For which day (or days) would you like to be on the waitlist?',
      "Hi! I'm the automated booking assistant for Demo Clinic. I can book, reschedule or cancel appointments, put you on the waitlist, or tell you our hours. How can I help?",
      'Just to be sure: shall I cancel your Consultation on Tue, Mar 10, 9:00 AM (GM-ABCDE)? Please answer yes or no — nothing changes until you do.',
      "Sorry, there's nothing free for Consultation on Tuesday, March 10. Would you like me to put you on the waitlist for that, or shall we try another day?",
      'You have 2 upcoming appointments:\n1. Consultation on Tue, Mar 10, 9:00 AM (GM-ABCDE)\n2. Follow-up on Wed, Mar 11, 2:00 PM (GM-FGHJK)\nWhich one would you like to cancel? Reply with its number.',
      "What name should I put on the waitlist? We'll text this number when a time opens up.",
      'Your Consultation on Tue, Mar 10, 9:00 AM (GM-ABCDE)? Shall I cancel it?',
    ];
    for (const reply of replies) expect(translateToSpanish(reply)).not.toMatch(english);
  });
});
