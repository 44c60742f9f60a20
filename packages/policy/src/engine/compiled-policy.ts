import { isInFamily } from '../actions.js';
import { builtinRules, builtinRuleVersion } from '../rules/builtin.js';
import { compileRule, selectorCovers, type CompiledRule } from '../rules/compile.js';
import type { FollowUpLimits, PolicyRule } from '../rules/schema.js';
import type { KillSwitch, PolicySnapshot } from '../rules/store.js';

/** The rules that can decide one action, split by effect; deny rules are checked first. */
export interface ActionRules {
  denies: CompiledRule[];
  allows: CompiledRule[];
}

/** A tenant's policy, compiled once per revision and shared by every decision until the next change. */
export interface CompiledPolicy {
  tenantId: string;
  revision: number;
  timeZone: string;
  limits: FollowUpLimits;
  limitsVersion: number;
  limitedActions: ReadonlySet<string>;
  /** The enabled kill switch covering `action`, if any. */
  killSwitchFor(action: string): KillSwitch | undefined;
  rulesFor(action: string): ActionRules;
}

// Memoising per action name makes a decision a Map lookup; the bound keeps hostile action names
// (anything may be asked) from growing the cache without end.
const maxMemoisedActions = 512;

export function compilePolicy(snapshot: PolicySnapshot): CompiledPolicy {
  const entries: Array<{ rule: PolicyRule; compiled: CompiledRule }> = [
    ...builtinRules.map((rule) => ({ rule, compiled: compileRule(rule, builtinRuleVersion) })),
    ...snapshot.rules.map((rule) => ({ rule, compiled: compileRule(rule, rule.version) })),
  ];
  const enabledSwitches = snapshot.killSwitches.filter((item) => item.enabled);
  const memo = new Map<string, ActionRules>();

  function collect(action: string): ActionRules {
    const denies: CompiledRule[] = [];
    const allows: CompiledRule[] = [];
    for (const { rule, compiled } of entries) {
      if (!rule.actions.some((selector) => selectorCovers(selector, action))) continue;
      (rule.effect === 'deny' ? denies : allows).push(compiled);
    }
    return { denies, allows };
  }

  return {
    tenantId: snapshot.tenantId,
    revision: snapshot.revision,
    timeZone: snapshot.timeZone,
    limits: snapshot.limits,
    limitsVersion: snapshot.limitsVersion,
    limitedActions: new Set(snapshot.limits.actions),
    killSwitchFor: (action) => (enabledSwitches.length === 0 ? undefined : enabledSwitches.find((item) => isInFamily(action, item.family))),
    rulesFor(action) {
      let found = memo.get(action);
      if (found === undefined) {
        found = collect(action);
        if (memo.size < maxMemoisedActions) memo.set(action, found);
      }
      return found;
    },
  };
}
