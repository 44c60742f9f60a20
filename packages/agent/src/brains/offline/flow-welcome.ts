// Returning customers in the offline brain (issue 20 item 2): once the conversation's contact is
// proven, the customer is greeted by name and offered "the same as last time" (service, and the
// time of day they came); what is known (name, contact) is not asked again.
import { DateTime } from 'luxon';
import type { Say } from './offer.js';
import { hasTime, type Ctx } from './state.js';

function partOfDay(start: string, zone: string): { label: string; afterMinutes?: number; beforeMinutes?: number } {
  const hour = DateTime.fromISO(start, { zone }).hour;
  return hour < 12 ? { label: 'in the morning', beforeMinutes: 12 * 60 } : { label: 'in the afternoon', afterMinutes: 12 * 60 };
}

/**
 * The welcome back, at the start of a conversation (a greeting, or a booking wish with no service
 * or time yet). Null when there is no one to welcome, or they were welcomed already.
 */
export async function welcomeBack(ctx: Ctx): Promise<Say> {
  const { s, u, turn } = ctx;
  if (s.welcomed || !turn.findReturningCustomer) return null;
  const isOpening = (s.flow === 'idle' && u.isGreeting && !u.intent) || (s.flow === 'book' && !s.serviceId && !u.service && !hasTime(ctx.time) && s.step === null);
  if (!isOpening) return null;
  s.welcomed = true;
  const customer = await turn.findReturningCustomer(s.email ? { email: s.email } : undefined);
  if (!customer) return null;
  s.name ??= customer.name;
  if (!s.email && !s.phone) s.phone = customer.phone ?? undefined;
  if (!s.email && !s.phone) s.email = customer.email ?? undefined;
  if (customer.preferredStaff && customer.preferredStaffId) s.usualStaff = { id: customer.preferredStaffId, name: customer.preferredStaff };
  const first = customer.name.split(/\s+/)[0];
  const last = customer.last;
  if (!last || !ctx.services.some((service) => service.id === last.serviceId)) return `Welcome back, ${first}! How can I help you today?`;
  const part = partOfDay(last.start, turn.tenant.timeZone);
  s.flow = 'book';
  s.step = 'same_again';
  s.sameAgain = { serviceId: last.serviceId, staff: { id: last.resourceId, name: last.staff }, afterMinutes: part.afterMinutes, beforeMinutes: part.beforeMinutes };
  return `Welcome back, ${first}! Would you like the same as last time: ${last.serviceName} with ${last.staff}, ${part.label}?`;
}

/** The answer to "the same as last time?": a yes fills in the service, the staff member and the time of day. */
export function answerSameAgain(ctx: Ctx): void {
  const { s, u } = ctx;
  const same = s.sameAgain;
  s.sameAgain = undefined;
  s.step = null;
  if (!same || !u.isYes) return;
  s.serviceId = same.serviceId;
  s.staff = same.staff;
  s.when = { ...(s.when ?? {}), ...(same.afterMinutes === undefined ? {} : { afterMinutes: same.afterMinutes }), ...(same.beforeMinutes === undefined ? {} : { beforeMinutes: same.beforeMinutes }) };
}
