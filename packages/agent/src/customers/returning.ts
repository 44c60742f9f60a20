// Returning customers (issue 20 item 2): a conversation whose contact is proven — the SMS sender's
// own number, or a contact proven by a one-time code — is linked to what the business knows of
// that customer (core's profile, read from their bookings). A system action, not a chat tool: a
// model cannot ask for someone's profile by typing their email.
import { readCustomerProfile, withTenant } from '@gomomo/core';
import { isContactProven, type CodeContact } from '../identity/codes.js';
import type { OutcomeRecord, ToolContext } from '../tools/tool-context.js';

/** A returning customer as a brain uses them: who, and "the same as last time". */
export interface ReturningCustomer {
  name: string;
  email: string | null;
  phone: string | null;
  upcoming: number;
  preferredStaff: string | null;
  last: { serviceId: string; serviceName: string; staff: string; start: string } | null;
}

/**
 * The customer behind the conversation's proven contact, or null (a stranger, or nothing proven).
 * `contact` is one the brain believes proven by a code; it is checked, never trusted. Audited.
 */
export async function findReturningCustomer(context: ToolContext & { record: (entry: OutcomeRecord) => void }, contact?: CodeContact): Promise<ReturningCustomer | null> {
  const { scope, deps } = context;
  const verifiedPhone = scope.verifiedContact?.phone;
  const isProven = async (candidate: CodeContact | undefined): Promise<boolean> =>
    candidate !== undefined && (await isContactProven(deps.pool, { tenantId: scope.tenant.id, sessionId: scope.session.id, contact: candidate }));
  // Without a contact from the brain: the conversation's own, when a code or a remembered device proved it.
  const own = scope.session.contact.email ? { email: scope.session.contact.email } : scope.session.contact.phone ? { phone: scope.session.contact.phone } : undefined;
  const proven = (await isProven(contact)) ? contact : !contact && !verifiedPhone && (await isProven(own)) ? own : undefined;
  const by = proven ?? (verifiedPhone ? { phone: verifiedPhone } : undefined);
  if (!by) return null;
  const profile = await withTenant(deps.pool, scope.tenant.id, (client) => readCustomerProfile(client, { tenantId: scope.tenant.id, ...by, now: deps.clock.now() }), { isolation: 'read committed' });
  context.record({ action: 'customer.profile', outcome: 'succeeded', reason: profile ? `returning customer: ${profile.past.length} past, ${profile.upcoming.length} upcoming` : 'no earlier bookings', clientKey: 'email' in by ? by.email : by.phone });
  if (!profile) return null;
  const last = profile.last;
  return {
    name: profile.name,
    email: profile.email,
    phone: profile.phone,
    upcoming: profile.upcoming.length,
    preferredStaff: profile.preferredResource?.name ?? null,
    last: last ? { serviceId: last.serviceId, serviceName: last.serviceName, staff: last.resourceName, start: last.start.toISOString() } : null,
  };
}
