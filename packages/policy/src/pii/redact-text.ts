import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';

export interface RedactTextOptions {
  /**
   * The country national numbers are read in ("020 7946 0958" is a London number only if we know
   * we are in GB). Default `US`. International numbers ("+44 …") are found whatever this is.
   */
  defaultCountry?: CountryCode | undefined;
}

interface Span {
  start: number;
  end: number;
  token: string;
}

// Emails: a plain but unicode-aware shape. Plus-addressing, dots, apostrophes and IDN letters are fine.
const emailPattern = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}/gu;
const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"']+/giu;
// 13–19 digits, optionally grouped by single spaces or dashes, the way card numbers are written.
const cardPattern = /(?<![\p{N}\p{L}])[2-6](?:[ -]?\d){12,18}(?![\p{N}\p{L}])/gu;

/** The Luhn checksum (ISO/IEC 7812-1) every payment card number satisfies. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

function findAll(text: string, pattern: RegExp): Array<{ start: number; end: number; text: string }> {
  return [...text.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length, text: match[0] }));
}

function overlapsAny(start: number, end: number, spans: ReadonlyArray<{ start: number; end: number }>): boolean {
  return spans.some((span) => start < span.end && span.start < end);
}

// "INV-2026-000123" or "ABC/4155552671": digits glued to a code are part of an identifier, not a number to call.
const identifierGlue = /[\p{L}\p{N}_/-]/u;

function isInsideIdentifier(text: string, match: { start: number; end: number }): boolean {
  const before = text[match.start - 1];
  const after = text[match.end];
  return (before !== undefined && identifierGlue.test(before)) || (after !== undefined && identifierGlue.test(after));
}

function findPhones(text: string, country: CountryCode): Array<{ start: number; end: number }> {
  // International numbers ("+1 (555) 123-4567", "+15551234567") are personal whether or not the
  // number is allocated, so any possible one counts. National numbers must be valid for the
  // country: "possible" alone matches order numbers, dates and IP addresses. Only a match that
  // starts at a '+' is kept, so a text without one is not scanned for them (issue 15).
  const international = text.includes('+')
    ? findPhoneNumbersInText(text, { defaultCountry: country, leniency: 'POSSIBLE' } as Parameters<typeof findPhoneNumbersInText>[1])
        .filter((match) => text[match.startsAt] === '+')
        .map((match) => ({ start: match.startsAt, end: match.endsAt }))
    : [];
  const national = findPhoneNumbersInText(text, { defaultCountry: country, leniency: 'VALID' } as Parameters<typeof findPhoneNumbersInText>[1])
    .map((match) => ({ start: match.startsAt, end: match.endsAt }))
    .filter((match) => !overlapsAny(match.start, match.end, international) && !isInsideIdentifier(text, match));
  return [...international, ...national];
}

// Values machines write, which the audit's details are mostly made of: a UUID, or an ISO-8601 UTC
// instant. Neither holds an email or a phone number: neither has a '+' or an '@', and every digit
// run in them touches a hex letter, '-', 'T' or 'Z' (so it is part of an identifier, see
// isInsideIdentifier) or is at most two digits between colons. Skipping them saves the two
// libphonenumber scans that were most of an audit append's node-side cost (issue 15). One
// difference on purpose: the card pattern could read a UUID's last digit groups as a card number
// passing Luhn and cut the id; a UUID is left whole. Tests compare the fast path with the full scan.
const machineValue = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?Z)$/i;

/**
 * Replaces emails (`[email]`), phone numbers (`[phone]`, found by libphonenumber-js) and card-like
 * numbers that pass Luhn (`[card]`) in free text. Digits inside URLs are left alone (booking links,
 * order pages), but an email inside a URL is still removed.
 */
export function redactText(text: string, options: RedactTextOptions = {}): string {
  // Fast path: no digit and no "@" means nothing here can be an email, phone or card.
  if (!/[\d@]/.test(text) || machineValue.test(text)) return text;
  const emails = findAll(text, emailPattern);
  const urls = findAll(text, urlPattern);
  const protectedSpans = [...emails, ...urls];
  const cards = findAll(text, cardPattern).filter(
    (match) => !overlapsAny(match.start, match.end, protectedSpans) && passesLuhn(match.text.replace(/\D/g, '')),
  );
  const phones = /\d/.test(text)
    ? findPhones(text, options.defaultCountry ?? 'US').filter((match) => !overlapsAny(match.start, match.end, [...protectedSpans, ...cards]))
    : [];
  const spans: Span[] = [
    ...emails.map((s) => ({ ...s, token: '[email]' })),
    ...cards.map((s) => ({ ...s, token: '[card]' })),
    ...phones.map((s) => ({ ...s, token: '[phone]' })),
  ].sort((a, b) => a.start - b.start);
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) continue;
    out += text.slice(cursor, span.start) + span.token;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}
