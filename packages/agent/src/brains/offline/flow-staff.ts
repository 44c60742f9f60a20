// Preferred staff in the offline brain (issue 20 item 2): once a returning customer accepts "the
// same as last time" or asks for their usual person, the booking is with that staff member — only
// their times are offered and held — or the customer hears plainly that this person is not free
// then and chooses another day with them or someone else. Never silently another person.
import type { Say } from './offer.js';
import { hasTime, resetOffer, type Ctx, type StaffChoice } from './state.js';

// "the same one" is too common a phrase (a time, a service) to mean a person: only named roles count.
const roles = 'person|doctor|dr\\.?|staff|stylist|therapist|practitioner|hygienist|dentist|barber';
const usualWords = new RegExp(`\\b(?:(?:usual|regular)\\s+(?:one|${roles})|same\\s+(?:${roles}))(?![\\p{L}])`, 'iu');
const anyoneWords = /\b(some ?one else|some ?body else|any ?one|any ?body|whoever|another (person|doctor|one)|other (person|doctor|one)|does ?n[o']?t matter|no preference)\b/i;

/** Whether the message asks for the usual person: in those words, or by the known person's surname. */
function asksForUsual(text: string, usual: StaffChoice | undefined): boolean {
  if (usualWords.test(text)) return true;
  const surname = usual?.name.split(/\s+/).at(-1);
  return surname !== undefined && surname.length > 2 && new RegExp(`\\b${surname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(text);
}

/**
 * "My usual person": the booking goes to the returning customer's preferred staff member, looked
 * up now if the welcome did not. A note for the reply when no one is known (a stranger, or a contact
 * not proven yet): the times offered are then everyone's, and the customer is told so.
 */
export async function chooseUsualStaff(ctx: Ctx): Promise<Say> {
  const { s, turn } = ctx;
  if (!asksForUsual(turn.text, s.usualStaff)) return null;
  if (!s.usualStaff && turn.findReturningCustomer) {
    const customer = await turn.findReturningCustomer(s.email ? { email: s.email } : undefined);
    if (customer) s.name ??= customer.name;
    if (customer?.preferredStaff && customer.preferredStaffId) s.usualStaff = { id: customer.preferredStaffId, name: customer.preferredStaff };
  }
  const usual = s.usualStaff;
  if (!usual) return "I can't see who you saw before (earlier visits show once your phone or email is proven), so these times are with anyone available.";
  if (s.staff?.id === usual.id) return null;
  s.staff = usual;
  // Times offered or held so far may be someone else's: search again with this person only.
  if (s.holdId) await turn.releaseHolds();
  s.holdId = undefined;
  resetOffer(s);
  return null;
}

/**
 * The answer to "another day with them, or someone else?": someone else drops the staff member and
 * searches the same wish again; a yes asks for the day; a new day or time keeps the person.
 */
export function answerOtherStaff(ctx: Ctx): Say {
  const { s, u, turn, time } = ctx;
  const staff = s.staff!;
  if (anyoneWords.test(turn.text)) {
    s.staff = undefined;
    s.step = null;
    return null;
  }
  if (hasTime(time) || u.service) {
    s.step = null;
    return null;
  }
  if (u.isYes) {
    s.when = undefined;
    s.step = 'date';
    return `Which day would suit you with ${staff.name}?`;
  }
  return `Would you like another day with ${staff.name}, or someone else?`;
}
