import { e164Pattern } from '@gomomo/contracts';

// Deliberately simple: the provider is the final judge of an address; this only keeps obvious
// garbage out of the outbox and makes lookups (suppression, consent) match.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased trimmed email, or null when it is not one. */
export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return emailPattern.test(email) && email.length <= 254 ? email : null;
}

/** An E.164 number with spaces, dashes, dots and parentheses removed, or null when it is not one. */
export function normalizePhone(value: string): string | null {
  const phone = value.trim().replace(/[\s\-().]/g, '');
  return e164Pattern.test(phone) ? phone : null;
}
