// Returning customers (issue 20 item 2): a conversation whose contact is proven — the SMS sender's
// own number, a caller ID the carrier attested in full, or a contact proven by a one-time code (never
// an unattested caller ID: see identity/requirement.ts) — is linked to what the business knows of
// that customer (core's profile, read from their bookings). The offline brain asks through a system
// action; a model through the read-only `customer_profile` tool. Both go through `provenContact`,
// so a model cannot get someone's profile by typing their email.
import { readCustomerProfile, withTenant, type CustomerProfile } from '@gomomo/core';
import { isContactProven, type CodeContact } from '../identity/codes.js';
import type { OutcomeRecord, ToolContext } from '../tools/tool-context.js';

/** A returning customer as a brain uses them: who, and "the same as last time". */
export interface ReturningCustomer {
  name: string;
  email: string | null;
  phone: string | null;
  upcoming: number;
  preferredStaff: string | null;
  /** The resource (staff member) of `preferredStaff`. */
  preferredStaffId: string | null;
  last: { serviceId: string; serviceName: string; staff: string; resourceId: string; start: string } | null;
}

/**
 * The contact this conversation proved, or undefined: `contact` when a one-time code proved it here
 * (checked, never trusted), else the channel-verified phone (the SMS sender's own number, an attested
 * caller ID; the turn's `offeredContact` never counts), else —
 * when the brain names none — the conversation's own contact if a code or a remembered device proved it.
 */
export async function provenContact(context: ToolContext, contact?: CodeContact): Promise<CodeContact | undefined> {
  const { scope, deps } = context;
  const verifiedPhone = scope.verifiedContact?.phone;
  if (contact && 'phone' in contact && contact.phone === verifiedPhone) return contact;
  const isProven = (candidate: CodeContact): Promise<boolean> =>
    isContactProven(deps.pool, { tenantId: scope.tenant.id, sessionId: scope.session.id, contact: candidate });
  if (contact && (await isProven(contact))) return contact;
  if (verifiedPhone) return { phone: verifiedPhone };
  if (contact) return undefined;
  // Without a contact from the brain: the conversation's own, when a code or a remembered device proved it.
  const own = scope.session.contact.email ? { email: scope.session.contact.email } : scope.session.contact.phone ? { phone: scope.session.contact.phone } : undefined;
  return own && (await isProven(own)) ? own : undefined;
}

/** Core's profile of a proven contact, or null for a stranger. */
export function readProfileOf(context: ToolContext, by: CodeContact): Promise<CustomerProfile | null> {
  const { scope, deps } = context;
  return withTenant(deps.pool, scope.tenant.id, (client) => readCustomerProfile(client, { tenantId: scope.tenant.id, ...by, now: deps.clock.now() }), { isolation: 'read committed' });
}

/**
 * The customer behind the conversation's proven contact, or null (a stranger, or nothing proven).
 * `contact` is one the brain believes proven by a code; it is checked, never trusted. Audited.
 */
export async function findReturningCustomer(context: ToolContext & { record: (entry: OutcomeRecord) => void }, contact?: CodeContact): Promise<ReturningCustomer | null> {
  const by = await provenContact(context, contact);
  if (!by) return null;
  const profile = await readProfileOf(context, by);
  context.record({ action: 'customer.profile', outcome: 'succeeded', reason: profile ? `returning customer: ${profile.past.length} past, ${profile.upcoming.length} upcoming` : 'no earlier bookings', clientKey: 'email' in by ? by.email : by.phone });
  if (!profile) return null;
  const last = profile.last;
  return {
    name: profile.name,
    email: profile.email,
    phone: profile.phone,
    upcoming: profile.upcoming.length,
    preferredStaff: profile.preferredResource?.name ?? null,
    preferredStaffId: profile.preferredResource?.id ?? null,
    last: last ? { serviceId: last.serviceId, serviceName: last.serviceName, staff: last.resourceName, resourceId: last.resourceId, start: last.start.toISOString() } : null,
  };
}
