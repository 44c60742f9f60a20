import { redactText, type RedactTextOptions } from './redact-text.js';

/** What a known personal field's value becomes, whatever its type. */
export const redactedValue = '[redacted]';

/**
 * Field names whose values are personal wherever they nest, compared case-insensitively and without
 * `_`, `-` or spaces, so `client_email`, `clientEmail` and `Client-Email` are one name.
 */
const personalFields = new Set([
  'name', 'firstname', 'lastname', 'fullname', 'givenname', 'familyname', 'displayname',
  'clientname', 'customername', 'contactname', 'patientname',
  'email', 'emailaddress', 'clientemail', 'customeremail', 'contactemail',
  'phone', 'phonenumber', 'clientphone', 'customerphone', 'contactphone', 'mobile', 'telephone',
  'notes', 'note', 'clientnotes',
  'address', 'streetaddress', 'dateofbirth', 'dob',
  'clientkey',
  // Secrets a customer types to prove who they are (the agent's verify_code): never kept in clear.
  'onetimecode', 'otp', 'passcode',
  // A service's intake answers (the agent's answer_intake): health, personal circumstances.
  'intakeanswer',
]);

/** True when a field of this name holds personal data (`client_email`, `Notes`, `clientKey`…). */
export function isPersonalField(key: string): boolean {
  return personalFields.has(key.toLowerCase().replace(/[\s_-]/g, ''));
}

function redactNode(value: unknown, options: RedactTextOptions, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, options);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactNode(item, options, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isPersonalField(key) && item !== null && item !== undefined && item !== '' ? redactedValue : redactNode(item, options, seen);
  }
  return out;
}

/**
 * A deep copy of `value` with every known personal field's value replaced by `[redacted]` and every
 * other string passed through `redactText`. Used for audit details, event payloads that leave the
 * database, and logs. Never mutates its input.
 *
 * @example redact({ clientName: 'Zoë', note: 'x', memo: 'call +1 212 555 0123' })
 * // → { clientName: '[redacted]', note: '[redacted]', memo: 'call [phone]' }
 */
export function redact(value: unknown, options: RedactTextOptions = {}): unknown {
  return redactNode(value, options, new WeakSet());
}
