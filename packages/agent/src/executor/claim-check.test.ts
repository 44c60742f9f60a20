import { describe, expect, it } from 'vitest';
import { correctClaims, createLedger, type ClaimKind } from './claim-check.js';

describe('correctClaims', () => {
  it.each<[string, ClaimKind]>([
    ["Great news, you're booked for Tuesday at 10:30!", 'created'],
    ['Your appointment is confirmed. See you then.', 'created'],
    ["I've booked you in with Dr. Rivera.", 'created'],
    ['Done! Your appointment has been moved to Friday.', 'rescheduled'],
    ["I've rescheduled your visit.", 'rescheduled'],
    ['Your booking has been cancelled.', 'cancelled'],
    ["I've cancelled it for you.", 'cancelled'],
    ["I've added you to the waitlist.", 'waitlisted'],
  ])('replaces the unbacked claim in "%s"', (reply, kind) => {
    const result = correctClaims(reply, createLedger());
    expect(result.corrected).toEqual([kind]);
    expect(result.reply).toMatch(/To be clear/);
  });

  it.each([
    'Shall I book Tuesday at 10:30 for you?',
    "Once you confirm, you're booked.",
    'I have not booked anything yet.',
    'Nothing was booked or changed.',
    'Would you like me to cancel it?',
    'I can reschedule it if you give me the reference.',
    'Here are three open times: 9:00, 9:15 and 9:30.',
  ])('leaves "%s" alone', (reply) => {
    expect(correctClaims(reply, createLedger())).toEqual({ reply, corrected: [] });
  });

  it('accepts a claim the ledger backs', () => {
    const ledger = createLedger();
    ledger.created.push('GM-ABCDE');
    const reply = "You're booked! Your reference is GM-ABCDE.";
    expect(correctClaims(reply, ledger)).toEqual({ reply, corrected: [] });
  });

  it('keeps the honest part of a reply and drops only the lie', () => {
    const ledger = createLedger();
    ledger.created.push('GM-ABCDE');
    const result = correctClaims("You're booked for Tuesday. I've also cancelled your old appointment.", ledger);
    expect(result.corrected).toEqual(['cancelled']);
    expect(result.reply).toBe("You're booked for Tuesday. To be clear: nothing has been cancelled.");
  });
});
