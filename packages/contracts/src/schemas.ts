import { z } from 'zod';

// The zod schemas more than one package validates with: one definition and one length limit each,
// so a phone number the agent accepts is one core accepts too.

/** E.164: "+" then up to 15 digits, no leading zero (ITU-T E.164 §6). */
export const e164Pattern = /^\+[1-9]\d{6,14}$/;

/** A phone number in E.164 ("+15551234567"); channels normalise national formats before this. */
export const phoneSchema = z.string().regex(e164Pattern, 'must be an E.164 phone number like +15551234567');

/** The longest email address SMTP carries (RFC 5321 path limit). */
export const emailMaxLength = 254;

/** An email address, at most `emailMaxLength` characters. */
export const emailSchema = z.email({ message: 'must be an email address' }).max(emailMaxLength);

/** A person's name: trimmed, 1–200 characters. */
export const personNameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A booking reference as issued: "GM-" and five of 0-9A-Z. */
export const bookingReferencePattern = /^GM-[0-9A-Z]{5}$/;

/** "GM-7K3Q9"; customers read it off a message, so case and surrounding spaces are forgiven. */
export const bookingReferenceSchema = z
  .string()
  .max(20, 'must be a booking reference like GM-7K3Q9')
  .trim()
  .toUpperCase()
  .regex(bookingReferencePattern, 'must be a booking reference like GM-7K3Q9');

/** A session token as the server issues it: `gms_` (recognisable when leaked) and 43 base64url characters (256 bits). */
export const sessionTokenPattern = /^gms_[A-Za-z0-9_-]{43}$/;

/** A session token as issued; only accepted in a header or a POST body. */
export const sessionTokenSchema = z.string().regex(sessionTokenPattern, 'must be the session token chat.send returned');

/** True for a string shaped like a session token (cheap check before any query). */
export function isSessionTokenFormat(value: string): boolean {
  return sessionTokenPattern.test(value);
}
