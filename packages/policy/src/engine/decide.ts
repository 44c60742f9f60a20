import { irreversibleActions } from '../actions.js';
import { readLocalTime, type CompiledRule, type LocalTime, type Mismatch } from '../rules/compile.js';
import type { Decision, PolicyContext } from '../types.js';
import type { CompiledPolicy } from './compiled-policy.js';
import { decideChangeWindowGuard } from './change-window-guard.js';

/** The in-memory part of a decision, and whether the follow-up limits still have to be counted. */
export interface StaticDecision {
  decision: Decision;
  needsLimitCheck: boolean;
}

function describeMismatch(rule: CompiledRule, mismatch: Mismatch, at: { context: PolicyContext; zone: string }): string {
  const { context, zone } = at;
  const when = rule.conditions;
  switch (mismatch) {
    case 'channel':
      return `rule "${rule.id}" needs channel ${when.channels!.join('|')} (got ${context.channel})`;
    case 'actor':
      return `rule "${rule.id}" needs actor ${when.actors!.join('|')} (got ${context.actor})`;
    case 'tool':
      return `rule "${rule.id}" needs tool ${when.tools!.join('|')} (got ${context.tool ?? 'none'})`;
    case 'args':
      return `rule "${rule.id}" needs arguments matching ${JSON.stringify(when.args)}`;
    case 'time': {
      const window = when.timeOfDay!;
      const days = window.weekdays ? ` on ISO weekdays ${window.weekdays.join(',')}` : '';
      return `rule "${rule.id}" applies only ${window.from}–${window.to}${days} in ${zone}`;
    }
  }
}

/**
 * Decides from the compiled policy alone: kill switches, then deny rules, then allow rules, then the
 * change-window guard (core's decision), then the customer-confirmation guard. Deny wins over allow, a kill switch over both. Only an allowed,
 * limited action still needs the database (the follow-up counts).
 */
export function decideStatic(policy: CompiledPolicy, action: string, at: { context: PolicyContext; now: Date }): StaticDecision {
  const { context, now } = at;
  const killSwitch = policy.killSwitchFor(action);
  if (killSwitch) {
    const why = killSwitch.reason ? ` (${killSwitch.reason})` : '';
    return {
      decision: { allowed: false, reason: `Kill switch "${killSwitch.family}" is on for this tenant${why}; "${action}" is blocked until it is turned off`, ruleId: `kill-switch:${killSwitch.family}`, ruleVersion: killSwitch.version },
      needsLimitCheck: false,
    };
  }
  let cachedTime: LocalTime | undefined;
  const localTime = (): LocalTime => (cachedTime ??= readLocalTime(now, policy.timeZone));
  const { denies, allows } = policy.rulesFor(action);
  for (const rule of denies) {
    if (rule.mismatch(context, localTime) === null) {
      return { decision: { allowed: false, reason: `Denied by rule "${rule.id}" (v${rule.version})`, ruleId: rule.id, ruleVersion: rule.version }, needsLimitCheck: false };
    }
  }
  let allowedBy: CompiledRule | undefined;
  for (const rule of allows) {
    if (rule.mismatch(context, localTime) === null) {
      allowedBy = rule;
      break;
    }
  }
  if (!allowedBy) {
    const tool = context.tool ? ` (tool ${context.tool})` : '';
    const near = allows.slice(0, 3).map((rule) => describeMismatch(rule, rule.mismatch(context, localTime)!, { context, zone: policy.timeZone }));
    const hint = near.length > 0 ? `: ${near.join('; ')}` : '; add an allow rule for it';
    return {
      decision: { allowed: false, reason: `Default deny: no rule allows "${action}" for actor ${context.actor} on channel ${context.channel}${tool}${hint}`, ruleId: null, ruleVersion: null },
      needsLimitCheck: false,
    };
  }
  const changeRefusal = decideChangeWindowGuard(action, context);
  if (changeRefusal) return { decision: changeRefusal, needsLimitCheck: false };
  if ((context.irreversible === true || irreversibleActions.has(action)) && context.customerConfirmed !== true) {
    return {
      decision: { allowed: false, reason: `"${action}" cannot be undone and needs the customer's explicit confirmation first (customerConfirmed: true)`, ruleId: 'guard:customer-confirmation', ruleVersion: null },
      needsLimitCheck: false,
    };
  }
  return {
    decision: { allowed: true, reason: `Allowed by rule "${allowedBy.id}" (v${allowedBy.version})`, ruleId: allowedBy.id, ruleVersion: allowedBy.version },
    needsLimitCheck: context.actor === 'autonomous' && policy.limitedActions.has(action),
  };
}
