import type { Tenant } from '@gomomo/core';

export type ChangeRefusalCode = 'APPOINTMENT_STARTED' | 'CHANGE_DEADLINE_PASSED';

/** True for the tool failures and lookup notes that mean "this booking may no longer change". */
export function isChangeRefusal(code: unknown): code is ChangeRefusalCode {
  return code === 'APPOINTMENT_STARTED' || code === 'CHANGE_DEADLINE_PASSED';
}

/** How to reach a person: the tenant's `settings.sms.helpContact` when set (the HELP reply uses it too). */
function staffContact(tenant: Tenant): string {
  const sms = tenant.settings['sms'];
  const help = typeof sms === 'object' && sms !== null ? (sms as Record<string, unknown>)['helpContact'] : undefined;
  return typeof help === 'string' && help.trim() !== '' ? `${tenant.name} (${help.trim()})` : `${tenant.name} directly`;
}

/**
 * The reply when a booking may no longer be cancelled or moved: what the rule is, that nothing
 * changed, and what the customer can do instead (keep it, or talk to the business's staff).
 */
export function explainNoChange(input: {
  tenant: Tenant;
  code: ChangeRefusalCode;
  booking: { serviceName: string; label: string };
  reference: string | undefined;
  deadlineHours: number | undefined;
}): string {
  const { tenant, booking } = input;
  const which = `Your ${booking.serviceName} on ${booking.label}${input.reference ? ` (${input.reference})` : ''}`;
  const contact = staffContact(tenant);
  if (input.code === 'APPOINTMENT_STARTED') {
    return `${which} has already started, so it can no longer be cancelled or moved, and nothing has changed. If something went wrong, please contact ${contact}.`;
  }
  const rule = input.deadlineHours ? `within ${input.deadlineHours} hours of the start` : 'this close to the start';
  return `${which} can't be cancelled or moved here: ${tenant.name} doesn't allow changes ${rule}, so nothing has changed. You can keep your booking, or contact ${contact} and the team may be able to help.`;
}
