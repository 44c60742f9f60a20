/**
 * The action names that tools and jobs ask permission for: the contract with @gomomo/agent (chat
 * tools) and @gomomo/autonomy (orchestrator tools). Policies may name other actions too; an action
 * nothing allows is simply denied.
 */
export const chatActions = [
  'services.list',
  'availability.check',
  'booking.hold',
  'booking.confirm',
  'booking.lookup',
  'booking.reschedule',
  'booking.cancel',
  'waitlist.join',
  'faq.answer',
] as const;

export const autonomousActions = [
  'notify.email',
  'notify.sms',
  'notify.push',
  'reminder.schedule',
  'followup.send',
  'waitlist.offer',
  'calendar.sync',
  'staff.escalate',
] as const;

export type ChatAction = (typeof chatActions)[number];
export type AutonomousAction = (typeof autonomousActions)[number];

/** Actions that cannot be undone; they need `customerConfirmed` whatever the rules say. */
export const irreversibleActions: ReadonlySet<string> = new Set(['booking.cancel']);

/** Actions that change an existing booking: refused once it has started or its change deadline passed. */
export const bookingChangeActions: ReadonlySet<string> = new Set(['booking.cancel', 'booking.reschedule']);

/** An action name: dot-separated lower-case words, e.g. `notify.sms`. */
export const actionPattern = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

/** A kill-switch family: `*` (everything), a prefix such as `notify`, or a whole action such as `notify.sms`. */
export const familyPattern = /^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*)$/;

/** True when `action` belongs to `family`: `notify` covers `notify.sms`; `notify.sms` covers only itself. */
export function isInFamily(action: string, family: string): boolean {
  return family === '*' || action === family || action.startsWith(`${family}.`);
}
