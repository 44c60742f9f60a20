import { describe, expect, it } from 'vitest';
import { correctClaims, createLedger, findReferences, unbackedReferences, type ClaimKind } from './claim-check.js';

// Adversarial model replies: each claims an outcome no tool of this turn produced, or names a
// reference nothing backs. The first three are the ones issue 12 found getting through.
const lies: Array<[string, ClaimKind]> = [
  ["No problem, you're booked for Tuesday at 10:30.", 'created'],
  ["I can confirm you're booked with Dr. Rivera.", 'created'],
  ['Your reference is GM-7K3Q9.', 'reference'],
  ["Great news, you're booked for Tuesday at 10:30!", 'created'],
  ['Your appointment is confirmed. See you then.', 'created'],
  ["I've booked you in with Dr. Rivera.", 'created'],
  ["You're all booked!", 'created'],
  ['Booked! Tuesday at 10:30 with Dr. Rivera.', 'created'],
  ["I've reserved Tuesday at 10:30 for you.", 'created'],
  ['Your booking is complete.', 'created'],
  ['Your confirmation number will arrive by email.', 'created'],
  ["Sure thing, I've scheduled your consultation for Friday.", 'created'],
  ['Your spot is secured for 3pm.', 'created'],
  ["I'm happy to confirm that your appointment has been booked.", 'created'],
  ['Perfect - you are now booked in the system.', 'created'],
  ['Tu cita está confirmada para el martes a las 10.', 'created'],
  ['Listo, te he reservado el martes.', 'created'],
  ['Done! Your appointment has been moved to Friday.', 'rescheduled'],
  ["I've rescheduled your visit.", 'rescheduled'],
  ["Okay, I've moved your appointment to 2pm.", 'rescheduled'],
  ['Your new time is Friday at 9:00 AM.', 'rescheduled'],
  ['Your appointment is now on Monday at noon.', 'rescheduled'],
  ['He movido tu cita al viernes.', 'rescheduled'],
  ['Your booking has been cancelled.', 'cancelled'],
  ["I've cancelled it for you.", 'cancelled'],
  ['No worries, your appointment is cancelled.', 'cancelled'],
  ['Cancellation confirmed.', 'cancelled'],
  ["I've removed your appointment from the calendar.", 'cancelled'],
  ['You are no longer booked for Tuesday.', 'cancelled'],
  ['Tu cita fue cancelada.', 'cancelled'],
  ["I've added you to the waitlist.", 'waitlisted'],
  ["You're now on the waitlist for Monday.", 'waitlisted'],
  ["We've put you on the waitlist and will text you.", 'waitlisted'],
  ['Te he apuntado en la lista de espera.', 'waitlisted'],
  ['All set!', 'done'],
  ["You're all set for Tuesday.", 'done'],
  ['Done.', 'done'],
  ["Consider it done, that's taken care of.", 'done'],
  ['Your booking GM-ABCDE is on Tuesday at 10:30.', 'reference'],
  ['Please keep the reference GM-KSUQC handy.', 'reference'],
  ['Tu referencia es GM-7K3Q9.', 'reference'],
  ['Your reference: gm7k3q9', 'reference'],
];

// Replies that claim nothing: offers, questions, denials, conditions and format examples.
const honest = [
  'Shall I book Tuesday at 10:30 for you?',
  "Once you confirm, you're booked.",
  "If you say yes, you're booked for Tuesday.",
  'I have not booked anything yet.',
  'Nothing was booked or changed.',
  'Would you like me to cancel it?',
  'I can reschedule it if you give me the reference.',
  'Here are three open times: 9:00, 9:15 and 9:30.',
  "It's not booked yet; shall I go ahead?",
  'Please give me your booking reference (it looks like GM-7K3Q9) and your email.',
  "You're booked for Tuesday, right?",
  '¿Quieres que la reserve?',
  'Please give me the email or phone it was booked with.',
  "I couldn't cancel it, and your booking is unchanged.",
];

describe('correctClaims', () => {
  it('has at least 40 adversarial replies', () => expect(lies.length).toBeGreaterThanOrEqual(40));

  it.each(lies)('rewrites the unbacked claim in "%s" (%s)', (reply, kind) => {
    const result = correctClaims(reply, createLedger());
    expect(result.corrected).toEqual([kind]);
    expect(result.reply).toMatch(/To be clear|Para que quede claro/);
    expect(findReferences(result.reply)).toEqual([]);
  });

  it.each(honest)('leaves "%s" alone', (reply) => {
    expect(correctClaims(reply, createLedger())).toEqual({ reply, corrected: [] });
  });

  it('accepts a claim the ledger backs, with its reference', () => {
    const ledger = createLedger();
    ledger.created.push('GM-ABCDE');
    ledger.references.push('GM-ABCDE');
    const reply = "You're booked! Your reference is GM-ABCDE.";
    expect(correctClaims(reply, ledger)).toEqual({ reply, corrected: [] });
  });

  it('refuses a backed kind of claim that names another reference', () => {
    const ledger = createLedger();
    ledger.created.push('GM-ABCDE');
    ledger.references.push('GM-ABCDE');
    const result = correctClaims("You're booked, reference GM-7K3Q9.", ledger);
    expect(result.corrected).toEqual(['created']);
    const cancelled = createLedger();
    cancelled.cancelled.push('GM-AAAAA');
    expect(correctClaims('I cancelled GM-KSUQC for you.', cancelled).corrected).toEqual(['cancelled']);
  });

  it('accepts references the conversation already knows (the customer typed them, an earlier turn found them)', () => {
    const reply = "I couldn't find booking GM-KSUQC with those details.";
    expect(correctClaims(reply, createLedger(), { knownReferences: ['gm-ksuqc'] }).corrected).toEqual([]);
    expect(correctClaims(reply, createLedger()).corrected).toEqual(['reference']);
  });

  it('keeps the honest part of a reply and drops only the lie', () => {
    const ledger = createLedger();
    ledger.created.push('GM-ABCDE');
    const result = correctClaims("You're booked for Tuesday. I've also cancelled your old appointment.", ledger);
    expect(result.corrected).toEqual(['cancelled']);
    expect(result.reply).toBe("You're booked for Tuesday. To be clear: nothing has been cancelled.");
  });

  it('answers in Spanish when the dropped claim was Spanish', () => {
    expect(correctClaims('Tu cita está confirmada.', createLedger()).reply).toBe('Para que quede claro: todavía no se ha reservado nada. ¿Cómo quieres continuar?');
  });

  it('names only the references worth looking up in the record', () => {
    const ledger = createLedger();
    ledger.references.push('GM-AAAAA');
    expect(unbackedReferences('GM-AAAAA, GM-BBBBB and gm-ccccc', { ledger, userText: 'mine is GM-BBBBB' })).toEqual(['GM-CCCCC']);
  });
});
