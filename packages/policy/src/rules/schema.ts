import { z } from 'zod';
import { actionPattern } from '../actions.js';
import { actors, channels } from '../types.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a 24-hour time like 09:00 (24:00 for end of day)');

/** A rule's action list entry: an exact action, a family wildcard (`notify.*`) or `*`. */
const actionSelector = z.string().refine((value) => value === '*' || actionPattern.test(value) || /^[a-z][a-z_]*(\.[a-z][a-z_]*)*\.\*$/.test(value), {
  message: 'must be an action such as "booking.hold", a family wildcard such as "notify.*", or "*"',
});

const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

/**
 * A simple predicate on one tool argument. `path` is dot-separated (`client.phone`). Comparisons
 * (`lt`…`gte`) work on numbers, and on strings lexicographically (fine for ISO dates in one format).
 * There is deliberately no regex operator: rules are tenant data, and a regex from data is a ReDoS risk.
 */
export const argPredicateSchema = z.discriminatedUnion('op', [
  z.object({ path: z.string().min(1).max(200), op: z.enum(['eq', 'neq']), value: scalar }),
  z.object({ path: z.string().min(1).max(200), op: z.enum(['in', 'notIn']), value: z.array(scalar).min(1).max(200) }),
  z.object({ path: z.string().min(1).max(200), op: z.enum(['lt', 'lte', 'gt', 'gte']), value: z.union([z.number(), z.string().max(100)]) }),
  z.object({ path: z.string().min(1).max(200), op: z.enum(['exists', 'absent']) }),
]);

/** Wall-clock window in the tenant's time zone; `from` after `to` wraps midnight (22:00–06:00). */
export const timeWindowSchema = z
  .object({
    from: hhmm,
    to: hhmm,
    /** ISO weekdays, 1 = Monday … 7 = Sunday; all days when absent. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  })
  .refine((window) => window.from !== window.to, { message: 'from and to must differ', path: ['to'] });

/** The conditions of a rule; every listed condition must hold (absent = any). */
export const ruleConditionsSchema = z
  .object({
    channels: z.array(z.enum(channels)).min(1).optional(),
    actors: z.array(z.enum(actors)).min(1).optional(),
    tools: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a tool name')).min(1).optional(),
    timeOfDay: timeWindowSchema.optional(),
    args: z.array(argPredicateSchema).min(1).max(20).optional(),
  })
  .strict();

/** A policy rule as tenants write it. Deny rules win over allow rules; kill switches win over both. */
export const policyRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 characters: lower-case letters, digits, ".", "_" or "-"'),
    effect: z.enum(['allow', 'deny']),
    actions: z.array(actionSelector).min(1).max(50),
    when: ruleConditionsSchema.optional(),
    description: z.string().max(500).optional(),
  })
  .strict();

export type ArgPredicate = z.infer<typeof argPredicateSchema>;
export type TimeWindow = z.infer<typeof timeWindowSchema>;
export type RuleConditions = z.infer<typeof ruleConditionsSchema>;
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** A rule as stored: the definition plus the version that decisions reference. */
export interface StoredRule extends PolicyRule {
  version: number;
  createdBy: string;
  createdAt: string;
}

/** Limits on what the receptionist may send a client on its own. */
export const followUpLimitsSchema = z
  .object({
    /** Autonomous contacts one client may get per calendar day in the tenant's zone. */
    maxPerClientPerDay: z.number().int().min(0).max(100),
    /** Autonomous contacts about one booking, ever. */
    maxPerBooking: z.number().int().min(0).max(100),
    /** Minimum minutes between two autonomous contacts to one client (or about one booking). */
    cooldownMinutes: z.number().int().min(0).max(10_080),
    /** The actions that count as contacting the client. */
    actions: z.array(z.string().regex(actionPattern, 'must be an action such as "notify.sms"')).max(50),
  })
  .strict();

export type FollowUpLimits = z.infer<typeof followUpLimitsSchema>;
