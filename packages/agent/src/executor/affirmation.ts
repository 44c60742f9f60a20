import { decideConsent } from '../consent/decide-consent.js';

/** True when the customer's message reads as a yes ("yes please", "ok, book it", "sure"). */
export function isAffirmative(text: string): boolean {
  return decideConsent(text).kind === 'yes';
}

/** True when the customer's message reads as a no ("no", "nope, another time", "never mind"). */
export function isNegative(text: string): boolean {
  return decideConsent(text).kind === 'no';
}
