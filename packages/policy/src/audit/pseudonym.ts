import { createHmac } from 'node:crypto';
import { PolicyError } from '../errors.js';

/**
 * The key used when the host configured none: fine for development and tests, worthless as a
 * secret (it is published here). Hosts set their own with `setAuditPseudonymKey` (the API reads
 * GOMOMO_AUDIT_KEY and requires it in production).
 */
export const developmentAuditKey = 'gomomo-development-audit-key-not-a-secret';

let auditKey = developmentAuditKey;

/**
 * Sets the server secret audit pseudonyms are keyed with (HMAC-SHA256), for the whole process.
 * At least 32 characters. Changing it changes every pseudonym from then on: follow-up limits start
 * counting afresh and old rows no longer match a search by the same contact.
 */
export function setAuditPseudonymKey(key: string): void {
  if (typeof key !== 'string' || key.length < 32) throw new PolicyError('VALIDATION', 'auditKey: must be at least 32 characters', { field: 'auditKey' });
  auditKey = key;
}

/** True when the host set its own key (not the published development one). */
export function isAuditPseudonymKeySet(): boolean {
  return auditKey !== developmentAuditKey;
}

/**
 * A client's keyed pseudonym (hex HMAC-SHA256 of tenant and normalised email/phone): stable, so
 * limits can count contacts, but not reversible without the key — a plain sha256 of a phone number
 * is, by trying every number of an area code in seconds.
 */
export function clientRefOf(tenantId: string, clientKey: string): string {
  return createHmac('sha256', auditKey).update(`client:${tenantId.toLowerCase()}:${clientKey.trim().toLowerCase()}`).digest('hex');
}

/**
 * A keyed pseudonym (hex HMAC-SHA256) of a contact for records outside the audit log that must
 * recognise a repeat without holding the contact, e.g. texts to a number no tenant owns. `scope`
 * keeps pseudonyms of different records apart.
 */
export function pseudonymOf(scope: string, value: string): string {
  return createHmac('sha256', auditKey).update(`${scope}:${value.trim().toLowerCase()}`).digest('hex');
}

const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const email = "[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+";
// "+1 (555) 123-4567", "+15551234567", or a bare run of 10–15 digits standing alone.
const phone = '\\+\\d(?:[\\s().-]{0,2}\\d){6,14}|(?<![\\p{L}\\p{N}])\\d{10,15}(?![\\p{L}\\p{N}])';
// UUIDs first, so the digit runs inside one are never mistaken for a phone number.
const contactPattern = new RegExp(`(${uuid})|${email}|${phone}`, 'gu');

/**
 * Replaces every email address and phone number in an identifier (a session id such as
 * `sms:+15551234567`, a subject id) with its keyed pseudonym `~` + 24 hex digits, the same for the
 * same contact in the same tenant, so a search by the identifier still finds its rows.
 */
export function pseudonymizeIdentifier(tenantId: string, value: string): string {
  if (!/[\d@]/.test(value)) return value;
  return value.replace(contactPattern, (match: string, keptUuid: string | undefined) => {
    if (keptUuid) return match;
    const normalized = match.includes('@') ? match.toLowerCase() : match.replace(/[^\d+]/g, '');
    return `~${createHmac('sha256', auditKey).update(`id:${tenantId.toLowerCase()}:${normalized}`).digest('hex').slice(0, 24)}`;
  });
}
