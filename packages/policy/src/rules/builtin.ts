import { autonomousActions, chatActions } from '../actions.js';
import type { FollowUpLimits, PolicyRule } from './schema.js';

/**
 * The conservative defaults every tenant starts with. Customers may use the chat actions from a
 * conversation; the receptionist may do its autonomous work from the system channel (subject to the
 * follow-up limits). Everything else, staff included, needs a tenant rule.
 */
export const builtinRules: readonly PolicyRule[] = Object.freeze([
  {
    id: 'builtin:customer-chat',
    effect: 'allow',
    actions: [...chatActions],
    when: { actors: ['customer'], channels: ['web', 'sms', 'voice'] },
    description: 'Customers may use the chat tools in a web, SMS or voice conversation.',
  },
  {
    id: 'builtin:autonomous-system',
    effect: 'allow',
    actions: [...autonomousActions],
    when: { actors: ['autonomous'], channels: ['system'] },
    description: 'The receptionist may notify, remind, follow up, offer waitlist slots, sync calendars and escalate on its own.',
  },
]);

/** Built-in rules never change shape without a new id, so they are all version 1. */
export const builtinRuleVersion = 1;

/**
 * Default follow-up limits; a tenant may tighten or loosen them with `setFollowUpLimits`. They
 * cover the messages nobody asked for (follow-ups, waitlist offers), not transactional notices: a
 * confirmation's SMS a second after its email, or a reschedule notice within the hour, must not be
 * refused as "too many follow-ups".
 */
export const defaultFollowUpLimits: FollowUpLimits = Object.freeze({
  maxPerClientPerDay: 3,
  maxPerBooking: 5,
  cooldownMinutes: 60,
  actions: ['followup.send', 'waitlist.offer'],
});
